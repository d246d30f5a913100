using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Persistence;

/// <summary>Work done once the schema is up to date at start, before the database opens for work (e.g. seeding settings).</summary>
public interface IDatabaseStartupStep
{
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Opens the database for work and keeps it open: at start it connects and brings the schema up
/// to date, retrying with backoff while the database is down (the process runs, answers
/// <c>/health/live</c>, and <c>/health/ready</c> says what is missing); afterwards, whenever work
/// reports the database unreachable, it probes with the same backoff until it answers.
/// </summary>
/// <remarks>
/// The one component that logs an outage: a Warning when the database goes down (its first probe
/// fails) and a Warning when it is back, with how long it was down; each probe in between is one
/// Information line. Work that finds the database unreachable only reports it here and waits, so an
/// outage under any load logs those two Warnings and no Error. A report the first probe disproves (a
/// connection that died with a restart, the server answering again) is one Information line. At
/// start, each failed attempt is a Warning: the service cannot work yet.
/// </remarks>
public sealed partial class DatabaseWatch(
    IServiceScopeFactory scopes,
    DatabaseAvailability availability,
    IEnumerable<IDatabaseStartupStep> startupSteps,
    IOptions<PersistenceOptions> options,
    TimeProvider time,
    ILogger<DatabaseWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RetryUntilAsync(OpenAsync, "start", outage: null, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await availability.WaitUntilLostAsync(stoppingToken);
            var outage = new Outage(availability.UnavailableSince ?? time.GetUtcNow(), availability.Problem);
            await RetryUntilAsync(ProbeAsync, "probe", outage, stoppingToken);
            if (outage.Confirmed)
            {
                LogBack(time.GetUtcNow() - outage.Since);
            }
            else
            {
                LogFalseAlarm(outage.Problem);
            }
        }
    }

    // outage: null at start; otherwise the outage being probed, confirmed (and logged as down) at its first failed probe.
    private async Task RetryUntilAsync(Func<CancellationToken, Task> attempt, string what, Outage? outage, CancellationToken stoppingToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                await attempt(stoppingToken);
                availability.Open(time.GetUtcNow(), afterOutage: outage is not null);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = Backoff(number);
                var problem = DatabaseFaults.IsUnavailable(ex)
                    ? $"unreachable: {DatabaseFaults.Describe(ex)}"
                    : $"{what} failed: {ex.GetType().Name}: {DatabaseFaults.Describe(ex)}";
                availability.ProbeFailed(problem, time.GetUtcNow());
                if (outage is null)
                {
                    LogAttemptFailed(number, problem, delay);
                }
                else
                {
                    if (!outage.Confirmed)
                    {
                        outage.Confirmed = true;
                        LogDown(outage.Problem);
                    }

                    LogProbeFailed(number, problem, delay);
                }

                await Task.Delay(delay, TimeProvider.System, stoppingToken);
            }
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        foreach (var step in startupSteps)
        {
            await step.RunAsync(cancellationToken);
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets the sweeper read while a consumer writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (!options.Value.MigrateOnStart)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
            LogAvailable(db.Database.ProviderName ?? "database", 0);
            return;
        }

        // Safe with many instances: EF Core takes a migration lock. With none pending (every start but
        // a deployment's first) there is nothing to lock for, and the model's comparison with the
        // migrations' snapshot, a second or more of a start, is skipped.
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (pending > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        LogAvailable(db.Database.ProviderName ?? "database", pending);
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        if (db.Database.IsNpgsql())
        {
            // The pooled connections from before the outage are closed (those in use once returned):
            // after a restart each is dead, and work that took one would find that out a connection
            // at a time, each failure another report of an outage the probe has already disproved.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
        await db.Database.CloseConnectionAsync();
    }

    private TimeSpan Backoff(int attempt)
    {
        var first = options.Value.RetryDelay;
        var factor = Math.Pow(2, Math.Min(attempt - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, options.Value.MaxRetryDelay.Ticks));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider}: available, schema up to date ({Applied} migrations applied)")]
    private partial void LogAvailable(string provider, int applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database attempt {Attempt}: {Problem}; next attempt in {Delay}")]
    private partial void LogAttemptFailed(int attempt, string problem, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database down ({Problem}); consumers and the sweeper wait until it answers")]
    private partial void LogDown(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database attempt {Attempt}: {Problem}; next attempt in {Delay}")]
    private partial void LogProbeFailed(int attempt, string problem, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database back after {Outage}; work resumes")]
    private partial void LogBack(TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Work found the database unreachable ({Problem}), but it answered at once; work goes on")]
    private partial void LogFalseAlarm(string problem);

    /// <summary>An outage being probed: since when, what work reported, and whether a probe failed too.</summary>
    private sealed class Outage(DateTimeOffset since, string problem)
    {
        public DateTimeOffset Since { get; } = since;

        public string Problem { get; } = problem;

        public bool Confirmed { get; set; }
    }
}
