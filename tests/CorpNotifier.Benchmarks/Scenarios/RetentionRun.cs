using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Report;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Opt-in scenario <c>retention</c> (<c>./bench.sh BENCH_SCENARIOS=retention</c>): the nightly
/// retention job on a million letters past <c>Retention:Days</c> — the service's own schema (it
/// migrates the database at start), bulk-loaded with <c>INSERT … SELECT generate_series</c>: 97 %
/// sent, 2 % dequeued, 1 % still pending (never touched), one timeline detail with a masked address
/// per ten letters, and 100 000 old events. The service runs the job on a schedule a few seconds
/// away and logs what it did: the rows anonymised, the batches, the longest batch (the select of the
/// batch and its statements), the longest statement and the 99th percentile (each statement is its
/// own transaction: the longest any row stayed locked) and the total.
/// </summary>
public static partial class RetentionRun
{
    public const string Name = "retention on a million letters";

    private const int Letters = 1_000_000;
    private const int Events = 100_000;

    public static async Task RunAsync(BenchSettings settings, BenchReport report)
    {
        await using var environment = await BenchEnvironment.CreateAsync(settings, "retention");
        var folder = Directory.CreateTempSubdirectory("corp-notifier-bench-letters-").FullName;
        var service = new Dictionary<string, string>
        {
            ["Transport"] = "InMemory",
            ["Database"] = "Postgres",
            ["ConnectionStrings:Postgres"] = environment.PostgresConnectionString,
            ["Mailer"] = "File",
            ["FileMailer:Folder"] = folder,
            // Not at night: a few seconds after the start, and the figures of each run in the log.
            ["Retention:Schedule"] = "0/5 * * * * ?",
            ["Logging:LogLevel:CorpNotifier.Privacy.Retention"] = "Information",
        };
        await using (await BenchService.StartAsync(settings.ServiceDll, new Dictionary<string, string>(service) { ["Retention:Days"] = "0" }, "retention-schema"))
        {
            // started only to create the schema with its migrations
        }

        var load = Stopwatch.StartNew();
        await using (var connection = await environment.Database.OpenConnectionAsync())
        {
            foreach (var sql in LoadStatements)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync();
            }
        }

        report.Add(Name, $"load {Letters:N0} letters, {Letters / 10:N0} timeline details, {Events:N0} events + VACUUM ANALYZE", $"{load.Elapsed.TotalSeconds:0.0} s");
        report.Note($"{Name}: Retention:BatchSize 1000, Pause 20 ms (defaults); every letter created 450 days ago; the figures are the service's own log line of the run");

        await using var running = await BenchService.StartAsync(settings.ServiceDll, service, "retention");
        var deadline = Stopwatch.StartNew();
        Match? done = null;
        while (deadline.Elapsed < TimeSpan.FromMinutes(30))
        {
            done = running.Output.Select(line => Figures().Match(line)).FirstOrDefault(m => m.Success && int.Parse(m.Groups["notices"].Value, CultureInfo.InvariantCulture) > 0);
            if (done is not null)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200)); // the poll of the wait for the job's log line
        }

        if (done is null)
        {
            report.Fail($"{Name}: the job did not log a run within 30 minutes:\n{running.Log()}");
            return;
        }

        int Count(string group) => int.Parse(done.Groups[group].Value, CultureInfo.InvariantCulture);
        double Ms(string group) => double.Parse(done.Groups[group].Value, CultureInfo.InvariantCulture);
        var rows = Count("notices") + Count("events") + Count("audit");
        report.Add(Name, "total time", $"{Ms("total") / 1000:0.0} s");
        report.Add(Name, "rows anonymised (letters / events)", $"{rows:N0} ({Count("notices"):N0} / {Count("events"):N0})", $"{Letters * 99 / 100 + Events:N0}", rows == Letters * 99 / 100 + Events);
        report.Add(Name, "batches / statements (each statement its own transaction)", $"{Count("batches"):N0} / {Count("statements"):N0}");
        report.Add(Name, "longest batch (select + its statements)", $"{Ms("longest"):0} ms");
        report.Add(Name, "row locks: 99 % of statements under", $"{Ms("p99"):0} ms");
        report.Add(Name, "longest row lock (the longest statement)", $"{Ms("lock"):0} ms", "< 1 000 ms", Ms("lock") < 1000);

        var touchedPending = await environment.ScalarAsync("SELECT count(*) FROM notices WHERE status = 'pending' AND (anonymised_at IS NOT NULL OR cardinality(recipients) = 0)");
        var left = await environment.ScalarAsync("SELECT count(*) FROM notices WHERE status <> 'pending' AND (cardinality(sent_to) > 0 OR args <> '{}'::jsonb)");
        report.Add(Name, "pending letters touched / others left with an address", $"{touchedPending} / {left}", "0 / 0", touchedPending == 0 && left == 0);
    }

    private static readonly string[] LoadStatements =
    [
        $$"""
        INSERT INTO notices (client_id, contract_id, country, recipients, kind, status, origin, send_at, sent_at, attempts, args, sent_to, created_at, updated_at)
        SELECT 'client-' || (n % 10000), 'contract-' || n, 'rus', ARRAY['client-' || (n % 10000) || '@clients.example'], 'LowBalanceNotice',
               CASE WHEN n % 100 = 0 THEN 'pending' WHEN n % 50 = 1 THEN 'dequeued' ELSE 'sent' END, 'event',
               CASE WHEN n % 100 = 0 THEN now() + interval '30 days' ELSE now() - interval '450 days' END, CASE WHEN n % 100 <> 0 AND n % 50 <> 1 THEN now() - interval '450 days' END, 1,
               jsonb_build_object('contract_id', 'contract-' || n, 'old_balance', '150', 'new_balance', '50', 'currency', 'RUB'),
               CASE WHEN n % 100 <> 0 AND n % 50 <> 1 THEN ARRAY['client-' || (n % 10000) || '@clients.example'] ELSE ARRAY[]::text[] END,
               now() - interval '450 days' + n * interval '1 millisecond', now() - interval '450 days'
        FROM generate_series(1, {{Letters}}) AS n
        """,
        """
        INSERT INTO notice_timeline (notice_id, at, type, detail)
        SELECT id, created_at, 'recipient_accepted', 'c***@clients.example accepted' FROM notices WHERE id % 10 = 0
        """,
        $$"""
        INSERT INTO events (event_id, type, client_id, occurred_at, received_at, payload, outcome, status)
        SELECT 'bench-' || n, 'ClientProfileChanged', 'client-' || (n % 10000), now() - interval '450 days', now() - interval '450 days',
               jsonb_build_object('name', 'Acme ' || n, 'emails', jsonb_build_array('client-' || (n % 10000) || '@clients.example')), 'processed', 'processed'
        FROM generate_series(1, {{Events}}) AS n
        """,
        "VACUUM ANALYZE notices",
        "VACUUM ANALYZE notice_timeline",
        "VACUUM ANALYZE events",
    ];

    [GeneratedRegex(@"(?<notices>\d+) letters, (?<events>\d+) events, (?<audit>\d+) audit records anonymised in (?<batches>\d+) batches; longest batch (?<longest>[\d.]+) ms, rows locked at most (?<lock>[\d.]+) ms, total (?<total>[\d.]+) ms; (?<statements>\d+) statements, 99 % under (?<p99>[\d.]+) ms")]
    private static partial Regex Figures();
}
