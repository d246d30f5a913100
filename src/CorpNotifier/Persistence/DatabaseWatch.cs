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
/// reports the database unreachable, it probes with the same backoff until it answers. One log line
/// per attempt.
/// </summary>
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
        await RetryUntilAsync(OpenAsync, "start", afterOutage: false, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await availability.WaitUntilLostAsync(stoppingToken);
            LogLost(availability.Problem);
            var since = availability.UnavailableSince ?? time.GetUtcNow();
            await RetryUntilAsync(ProbeAsync, "probe", afterOutage: true, stoppingToken);
            LogBack(time.GetUtcNow() - since);
        }
    }

    private async Task RetryUntilAsync(Func<CancellationToken, Task> attempt, string what, bool afterOutage, CancellationToken stoppingToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                await attempt(stoppingToken);
                availability.Open(time.GetUtcNow(), afterOutage);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = Backoff(number);
                var problem = DatabaseFaults.IsUnavailable(ex)
                    ? $"unreachable: {DatabaseFaults.Describe(ex)}"
                    : $"{what} failed: {ex.GetType().Name}: {DatabaseFaults.Describe(ex)}";
                availability.ProbeFailed(problem, time.GetUtcNow());
                LogAttemptFailed(number, problem, delay);
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

        // Safe with many instances: EF Core takes a migration lock.
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);
        LogAvailable(db.Database.ProviderName ?? "database", pending);
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database lost ({Problem}); consumers and the sweeper wait until it answers")]
    private partial void LogLost(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database back after {Outage}; work resumes")]
    private partial void LogBack(TimeSpan outage);
}
