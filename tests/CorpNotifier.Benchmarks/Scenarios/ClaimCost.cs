using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Report;
using Npgsql;
using NpgsqlTypes;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6: the statement the sweeper claims due notices with (read from the service's source,
/// <c>src/CorpNotifier/Dispatch/DueNoticeQueue.cs</c>), timed on a <c>notices</c> table of growing
/// size — the service's own schema (it migrates the database at start) bulk-loaded with binary COPY:
/// most rows sent or dequeued, 1 % scheduled ahead, a fixed few due. Each claim runs in a transaction
/// that is rolled back, so every run sees the same due rows.
/// </summary>
public static partial class ClaimCost
{
    public const string Name = "6 claim cost";

    /// <summary>Pending notices already due (more than one batch), present at every size.</summary>
    private const int Due = 500;

    private const int Warmup = 5;

    private static readonly string[] Kinds =
        ["LowBalanceNotice", "LimitIsOverNotice", "LimitIsOverRemindNotice", "ActivateClientNotice", "PrepaidFirstTakeARideNotice", "FinancialUnblockNotice"];

    /// <summary>The claim as the service had it when this benchmark was written; used only when the source cannot be read.</summary>
    private const string KnownClaim = """
        UPDATE notices SET queued_until = @until, updated_at = @now
        WHERE id IN (
            SELECT id FROM notices
            WHERE status = 'pending' AND send_at <= @now AND (queued_until IS NULL OR queued_until <= @now)
            ORDER BY send_at, id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    public static async Task RunAsync(BenchSettings settings, BenchReport report)
    {
        await using var environment = await BenchEnvironment.CreateAsync(settings, "claim");
        var folder = Directory.CreateTempSubdirectory("corp-notifier-bench-letters-").FullName;
        await using (await BenchService.StartAsync(settings.ServiceDll, new Dictionary<string, string>
        {
            ["Transport"] = "InMemory",
            ["Database"] = "Postgres",
            ["ConnectionStrings:Postgres"] = environment.PostgresConnectionString,
            ["Mailer"] = "File",
            ["FileMailer:Folder"] = folder,
        }, "claim-schema"))
        {
            // started only to create the schema with its migrations
        }

        var (sql, source) = ClaimSql(settings);
        report.Note($"{Name}: the claim statement is {source}; batch = 200 (Dispatch:BatchSize default); {Due} due rows at every size, 85 % sent, 10 % dequeued, 4 % rejected/failed, 1 % pending in the next 30 days; each claim rolled back; median of {settings.ClaimRepeats} after {Warmup} warm-up runs");
        report.Blocks.Add(("The claim statement timed (scenario 6)", sql.Trim()));

        var loaded = 0;
        var medians = new List<(int Rows, double Median)>();
        var random = new Random(11);
        foreach (var rows in settings.ClaimRows.Order())
        {
            var load = Stopwatch.StartNew();
            await LoadAsync(environment, loaded, rows, random);
            loaded = rows;
            report.Add(Name, $"{rows:N0} rows: bulk load + indexes + VACUUM ANALYZE", $"{load.Elapsed.TotalSeconds:0.0} s");

            var (times, claimed) = await TimeClaimsAsync(environment, sql, settings.ClaimRepeats);
            var median = Measure.Percentile(times, 50);
            medians.Add((rows, median));
            var smallest = medians[0];
            var isLargest = rows == settings.ClaimRows.Max() && medians.Count > 1;
            report.Add(Name, $"{rows:N0} rows: claim median / p95 ({claimed} claimed)",
                $"{Measure.Ms(median)} / {Measure.Ms(Measure.Percentile(times, 95))}",
                isLargest ? $"≤ 2 × {smallest.Rows:N0}-row median ({Measure.Ms(2 * smallest.Median)})" : "",
                isLargest ? median <= 2 * smallest.Median : null);
            if (rows == settings.ClaimRows.Max())
            {
                report.Blocks.Add(($"EXPLAIN (ANALYZE, BUFFERS) of the claim at {rows:N0} rows", await ExplainAsync(environment, sql)));
            }
        }
    }

    /// <summary>The service's Postgres claim statement from its source, or the known copy when the source moved.</summary>
    private static (string Sql, string Source) ClaimSql(BenchSettings settings)
    {
        var path = Path.Combine(settings.RepositoryRoot, "src", "CorpNotifier", "Dispatch", "DueNoticeQueue.cs");
        if (File.Exists(path) && ClaimConstant().Match(File.ReadAllText(path)) is { Success: true } match)
        {
            var lines = match.Groups["sql"].Value.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            var indent = lines.Min(l => l.Length - l.TrimStart().Length);
            return (string.Join('\n', lines.Select(l => l[indent..])), "QueuePostgres read from src/CorpNotifier/Dispatch/DueNoticeQueue.cs");
        }

        return (KnownClaim, "a copy of the claim as of this benchmark (QueuePostgres was not found in src/CorpNotifier/Dispatch/DueNoticeQueue.cs)");
    }

    private static async Task<(List<double> Times, int Claimed)> TimeClaimsAsync(BenchEnvironment environment, string sql, int repeats)
    {
        await using var connection = await environment.Database.OpenConnectionAsync();
        var times = new List<double>();
        var claimed = 0;
        for (var i = 0; i < repeats + Warmup; i++)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            Bind(command, sql);
            var watch = Stopwatch.StartNew();
            var count = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    count++;
                }
            }

            watch.Stop();
            await transaction.RollbackAsync();
            claimed = count;
            if (i >= Warmup)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times, claimed);
    }

    private static async Task<string> ExplainAsync(BenchEnvironment environment, string sql)
    {
        await using var connection = await environment.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection, transaction);
        Bind(command, sql);
        var plan = new StringBuilder();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        await transaction.RollbackAsync();
        return plan.ToString().TrimEnd();
    }

    /// <summary>The parameters the service's claim takes: now, the requeue moment (now + 2 min), the batch size.</summary>
    private static void Bind(NpgsqlCommand command, string sql)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var name in Parameter().Matches(sql).Select(m => m.Groups[1].Value).Distinct())
        {
            object value = name switch
            {
                "now" => now,
                "until" => now.AddMinutes(2),
                "batch" => 200,
                _ => throw new InvalidOperationException($"The claim takes a parameter @{name} this benchmark does not know; teach ClaimCost.Bind its value."),
            };
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }
    }

    /// <summary>
    /// Adds rows <paramref name="from"/>..<paramref name="to"/> with binary COPY. The table's secondary
    /// indexes are dropped first and built again after (much faster than maintaining them row by row),
    /// then the table is vacuumed and analysed as autovacuum would eventually.
    /// </summary>
    private static async Task LoadAsync(BenchEnvironment environment, int from, int to, Random random)
    {
        await using var connection = await environment.Database.OpenConnectionAsync();
        await ExecuteAsync(connection, "SET maintenance_work_mem = '256MB'");
        var indexes = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = 'notices'::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"");
        }

        var now = DateTime.UtcNow;
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY notices (client_id, contract_id, country, recipients, kind, status, origin, send_at, sent_at, attempts, args, sent_to, created_at, updated_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var k = from; k < to; k++)
            {
                var client = $"client-{k % 50_000:D5}";
                var email = $"{client}@clients.example";
                var (status, sendAt) = (k < Due, k % 100) switch
                {
                    (true, _) => ("pending", now.AddSeconds(-random.Next(1, 600))),
                    (_, < 85) => ("sent", now.AddSeconds(-random.Next(60, 365 * 86_400))),
                    (_, < 95) => ("dequeued", now.AddSeconds(-random.Next(60, 365 * 86_400))),
                    (_, < 98) => ("rejected", now.AddSeconds(-random.Next(60, 365 * 86_400))),
                    (_, < 99) => ("failed", now.AddSeconds(-random.Next(60, 365 * 86_400))),
                    _ => ("pending", now.AddSeconds(random.Next(60, 30 * 86_400))),
                };
                var sent = status == "sent";
                await writer.StartRowAsync();
                await writer.WriteAsync(client, NpgsqlDbType.Varchar);
                await writer.WriteAsync($"{client}-contract", NpgsqlDbType.Varchar);
                await writer.WriteAsync("rus", NpgsqlDbType.Varchar);
                await writer.WriteAsync(new[] { email }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(Kinds[k % Kinds.Length], NpgsqlDbType.Varchar);
                await writer.WriteAsync(status, NpgsqlDbType.Varchar);
                await writer.WriteAsync("event", NpgsqlDbType.Varchar);
                await writer.WriteAsync(sendAt, NpgsqlDbType.TimestampTz);
                if (sent)
                {
                    await writer.WriteAsync(sendAt.AddSeconds(1), NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await writer.WriteNullAsync();
                }

                await writer.WriteAsync(sent ? 1 : 0, NpgsqlDbType.Integer);
                await writer.WriteAsync($"{{\"contract_id\":\"{client}-contract\",\"new_balance\":\"{k % 1000}\",\"currency\":\"RUB\"}}", NpgsqlDbType.Jsonb);
                await writer.WriteAsync(sent ? new[] { email } : [], NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(sendAt.AddSeconds(-5), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(sent ? sendAt.AddSeconds(1) : sendAt.AddSeconds(-5), NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        foreach (var (_, definition) in indexes)
        {
            await ExecuteAsync(connection, definition);
        }

        await ExecuteAsync(connection, "VACUUM (ANALYZE) notices");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex("""QueuePostgres\s*=\s*\"\"\"(?<sql>.*?)\"\"\"\s*;""", RegexOptions.Singleline)]
    private static partial Regex ClaimConstant();

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Parameter();
}
