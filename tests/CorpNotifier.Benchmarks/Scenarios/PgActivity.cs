using Npgsql;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Samples what the scenario's database sessions are doing (<c>pg_stat_activity</c>, twice a second):
/// active sessions by wait event, or <c>CPU</c> when running. A cheap picture of where the database
/// time goes, for the bottleneck notes.
/// </summary>
public sealed class PgActivity : IAsyncDisposable
{
    private readonly Dictionary<string, int> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private int _samples;

    public PgActivity(NpgsqlDataSource database, string databaseName)
    {
        _sampling = SampleAsync(database, databaseName);
    }

    /// <summary>The most frequent states with the average number of active sessions in each, e.g. <c>CPU 1.4 sessions, IO:WalSync 0.3 sessions</c>.</summary>
    public string Summary(int top = 6)
    {
        lock (_seen)
        {
            if (_samples == 0)
            {
                return "no samples";
            }

            return string.Join(", ", _seen.OrderByDescending(p => p.Value).Take(top)
                .Select(p => $"{p.Key} {p.Value / (double)_samples:0.0} sessions"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task SampleAsync(NpgsqlDataSource database, string databaseName)
    {
        using var period = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        do
        {
            try
            {
                await using var command = database.CreateCommand("""
                    SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU'), count(*)
                    FROM pg_stat_activity
                    WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()
                    GROUP BY 1
                    """);
                command.Parameters.Add(new NpgsqlParameter { Value = databaseName });
                await using var reader = await command.ExecuteReaderAsync(_stop.Token);
                var rows = new List<(string, long)>();
                while (await reader.ReadAsync(_stop.Token))
                {
                    rows.Add((reader.GetString(0), reader.GetInt64(1)));
                }

                lock (_seen)
                {
                    _samples++;
                    foreach (var (state, count) in rows)
                    {
                        _seen[state] = _seen.GetValueOrDefault(state) + (int)count;
                    }
                }
            }
            catch (NpgsqlException)
            {
                // a sample missed is no harm
            }
        }
        while (await period.WaitForNextTickAsync(_stop.Token));
    }
}
