using System.Diagnostics;
using Npgsql;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// The scenario database's counters (<c>pg_stat_database</c>) and the server's WAL position, read
/// before and after a run: how many transactions, rows written and rows read an event cost.
/// </summary>
public sealed record PgCounters(long Commits, long Rollbacks, long Inserted, long Updated, long Deleted, long Read, long BlocksTouched, decimal WalBytes)
{
    /// <summary>PostgreSQL's backends publish their counters when they go idle, at most once this often.</summary>
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The counters once the work before this call is in them: read until the rows written stop
    /// moving for longer than the backends' publishing interval (every backend that worked has
    /// published by then), or until 30 s have passed.
    /// </summary>
    public static async Task<PgCounters> ReadAsync(NpgsqlDataSource database)
    {
        var deadline = Stopwatch.StartNew();
        var steady = Stopwatch.StartNew();
        var last = await ReadOnceAsync(database);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (steady.Elapsed <= PublishInterval && deadline.Elapsed < TimeSpan.FromSeconds(30) && await poll.WaitForNextTickAsync())
        {
            var now = await ReadOnceAsync(database);
            // This session's own reads count as commits and rows read: only the rows written tell.
            if ((now.Inserted, now.Updated, now.Deleted) != (last.Inserted, last.Updated, last.Deleted))
            {
                steady.Restart();
            }

            last = now;
        }

        return last;
    }

    private static async Task<PgCounters> ReadOnceAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("""
            SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_returned + tup_fetched,
                   blks_hit + blks_read, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')
            FROM pg_stat_database WHERE datname = current_database()
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new PgCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetDecimal(7));
    }

    /// <summary>The difference since <paramref name="before"/>, per <paramref name="events"/>, as one line.</summary>
    public string PerEvent(PgCounters before, int events)
    {
        string Of(double value) => (value / events).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return $"{Of(Commits - before.Commits)} commits, {Of(Rollbacks - before.Rollbacks)} rollbacks, {Of(Inserted - before.Inserted)} rows inserted, "
            + $"{Of(Updated - before.Updated)} updated, {Of(Deleted - before.Deleted)} deleted, {Of(Read - before.Read)} read, "
            + $"{Of(BlocksTouched - before.BlocksTouched)} blocks touched, {Of((double)(WalBytes - before.WalBytes) / 1024)} KiB WAL (server-wide)";
    }
}
