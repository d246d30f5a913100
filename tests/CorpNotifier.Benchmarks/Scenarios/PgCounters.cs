using Npgsql;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// The scenario database's counters (<c>pg_stat_database</c>) and the server's WAL position, read
/// before and after a run: how many transactions, rows written and rows read an event cost.
/// </summary>
public sealed record PgCounters(long Commits, long Rollbacks, long Inserted, long Updated, long Deleted, long Read, long BlocksTouched, decimal WalBytes)
{
    public static async Task<PgCounters> ReadAsync(NpgsqlDataSource database)
    {
        // Backends publish their counters at most once a second.
        await Task.Delay(1500);
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
