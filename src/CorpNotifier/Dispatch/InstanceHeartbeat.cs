using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Dispatch;

/// <summary>
/// This process's row in <c>instances</c>: at start it takes the row of its instance name over from
/// the process that ran under that name before, and takes back that process's claims once it is
/// sure that process is gone; then it renews the row every <c>Instance:Heartbeat</c>, and marks it
/// stopped at a graceful stop (docs/adr/0013).
/// </summary>
/// <remarks>
/// "Gone" means: it stopped gracefully, or its heartbeat is older than <c>Instance:StaleAfter</c> and
/// was not renewed while this process watched. A name is run by one process at a time (ops'
/// rule); if the row is renewed by someone else, two running processes share the name: that is
/// logged as an error and neither takes the other's claims (their leases still end them). A claim
/// of a process that never comes back under its name is taken back when its lease runs out, as
/// before. The heartbeat is one write per instance every few seconds, none per letter.
/// </remarks>
public sealed partial class InstanceHeartbeat(
    IServiceScopeFactory scopes,
    DatabaseAvailability database,
    InstanceIdentity identity,
    IOptions<InstanceOptions> options,
    TimeProvider time,
    ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    private bool _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!_registered)
        {
            await database.WaitUntilAvailableAsync(stoppingToken);
            try
            {
                if (!await RegisterAsync(stoppingToken))
                {
                    return;
                }

                _registered = true;
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !stoppingToken.IsCancellationRequested)
            {
                database.ReportUnavailable(ex, time.GetUtcNow());
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.Heartbeat, time, stoppingToken);
            if (!database.IsAvailable)
            {
                continue;
            }

            try
            {
                if (await RenewAsync(stoppingToken) == 0)
                {
                    _registered = false;
                    LogNameTaken(options.Value.Name);
                    return;
                }
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !stoppingToken.IsCancellationRequested)
            {
                database.ReportUnavailable(ex, time.GetUtcNow());
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_registered || !database.IsAvailable)
        {
            return;
        }

        try
        {
            // Stopped gracefully: a successor under this name need not wait for the heartbeat to go stale.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
            var now = time.GetUtcNow();
            await db.Instances
                .Where(i => i.Name == options.Value.Name && i.Incarnation == identity.Incarnation)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.StoppedAt, now).SetProperty(i => i.SeenAt, now), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStopNotRecorded(ex.GetType().Name);
        }
    }

    /// <summary>
    /// Takes the name's row over: waits until the process that held it is gone, takes back its
    /// claims, and records this process. False when another running process holds the name.
    /// </summary>
    private async Task<bool> RegisterAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.Name;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        var former = await ReadAsync(db, name, cancellationToken);
        if (former is not null && former.Incarnation != identity.Incarnation && former.StoppedAt is null)
        {
            // Watch it for a while: a process that renews the row is running, one that does not is gone.
            var staleAt = former.SeenAt + options.Value.StaleAfter;
            while (time.GetUtcNow() < staleAt)
            {
                var wait = TimeSpan.FromTicks(Math.Min(options.Value.Heartbeat.Ticks, (staleAt - time.GetUtcNow()).Ticks));
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                var now = await ReadAsync(db, name, cancellationToken);
                if (now is null || now.Incarnation != former.Incarnation || now.SeenAt != former.SeenAt || now.StoppedAt is not null)
                {
                    if (now is not null && now.StoppedAt is not null && now.Incarnation == former.Incarnation)
                    {
                        former = now; // it stopped gracefully meanwhile
                        break;
                    }

                    LogNameInUse(name);
                    return false;
                }
            }
        }

        if (former is not null && former.Incarnation != identity.Incarnation)
        {
            var taken = await scope.ServiceProvider.GetRequiredService<NoticeLedger>().TakeBackAsync(former.Incarnation, name, cancellationToken);
            if (taken.Count > 0)
            {
                LogTakenBack(taken.Count, name);
            }
        }

        var at = time.GetUtcNow();
        if (former is null)
        {
            db.Instances.Add(new InstanceRecord { Name = name, Incarnation = identity.Incarnation, StartedAt = at, SeenAt = at });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (!DatabaseFaults.IsUnavailable(ex))
            {
                LogNameInUse(name); // another process registered the name at the same moment
                return false;
            }
        }
        else
        {
            var updated = await db.Instances
                .Where(i => i.Name == name && i.Incarnation == former.Incarnation)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.Incarnation, identity.Incarnation)
                        .SetProperty(i => i.StartedAt, at)
                        .SetProperty(i => i.SeenAt, at)
                        .SetProperty(i => i.StoppedAt, (DateTimeOffset?)null),
                    cancellationToken);
            if (updated == 0)
            {
                LogNameInUse(name);
                return false;
            }
        }

        LogRegistered(name);
        return true;
    }

    private async Task<int> RenewAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        var now = time.GetUtcNow();
        return await db.Instances
            .Where(i => i.Name == options.Value.Name && i.Incarnation == identity.Incarnation)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.SeenAt, now), cancellationToken);
    }

    private static Task<InstanceRecord?> ReadAsync(NoticesDbContext db, string name, CancellationToken cancellationToken) =>
        db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Name == name, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Instance} registered; its heartbeat runs")]
    private partial void LogRegistered(string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took back {Count} letters claimed by the earlier process of instance {Instance}, which is gone; they are sent again now")]
    private partial void LogTakenBack(int count, string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "Another running process uses the instance name {Instance}: names must be unique. This process takes back no claims at its start and its own are left to their lease")]
    private partial void LogNameInUse(string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "Another process took over the instance name {Instance} while this one runs: names must be unique. The heartbeat stops; this process's claims are left to their lease")]
    private partial void LogNameTaken(string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The graceful stop of this instance could not be recorded ({Error}); a successor under its name waits for its heartbeat to go stale")]
    private partial void LogStopNotRecorded(string error);
}
