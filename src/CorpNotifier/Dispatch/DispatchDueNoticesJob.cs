using CorpNotifier.Persistence;
using Microsoft.Extensions.Options;
using Quartz;

namespace CorpNotifier.Dispatch;

/// <summary>
/// The sweeper, every <c>Dispatch:Interval</c> on every instance: puts back notices whose claim
/// expired, then marks due notices queued in batches (SKIP LOCKED, so instances never collide) and
/// hands each to this instance's send path (<see cref="LocalDispatcher"/>), waiting while it is
/// busy, so an instance queues no more than it can send.
/// </summary>
/// <remarks>
/// A sweep is skipped while the database is unavailable (its watcher logs the outage). Sending
/// needs no broker, so a sweep runs while the broker is away.
/// </remarks>
[DisallowConcurrentExecution]
public sealed partial class DispatchDueNoticesJob(
    DueNoticeQueue queue,
    Notices.NoticeLedger ledger,
    LocalDispatcher dispatcher,
    DatabaseAvailability database,
    LeaseRecoveryGrace grace,
    IOptions<DispatchOptions> options,
    Hosting.NotifierMetrics metrics,
    TimeProvider time,
    ILogger<DispatchDueNoticesJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!database.IsAvailable)
        {
            metrics.Swept("skipped");
            return;
        }

        try
        {
            // After a database outage, claims whose lease ran out during it still have holders
            // waiting to record what the mailer accepted; they get one lease to do so first (from
            // the outage's end, or from this instance's first sweep: it cannot know whether the
            // database just came back). A claim of this instance's own earlier process is taken
            // back at its start, without waiting (InstanceHeartbeat).
            if (grace.HasPassed(time.GetUtcNow(), database.ReturnedAt, options.Value.Lease))
            {
                var recovered = await ledger.RecoverExpiredLeasesAsync(options.Value.BatchSize, cancellationToken);
                if (recovered.Count > 0)
                {
                    LogRecovered(recovered.Count);
                }
            }

            var yielded = true;
            for (var batch = 0; batch < options.Value.MaxBatchesPerSweep; batch++)
            {
                // Queue only what this instance can soon send: the rest stays for the other instances' sweeps.
                await dispatcher.WaitForRoomAsync(Math.Min(options.Value.ConcurrentSends, options.Value.BatchSize), cancellationToken);
                var limit = Math.Min(options.Value.BatchSize, dispatcher.Room);
                var due = await queue.QueueDueAsync(limit, cancellationToken);
                if (due.Count == 0)
                {
                    yielded = false;
                    break;
                }

                await dispatcher.EnqueueAsync(due, cancellationToken);

                LogDispatched(due.Count);
                metrics.Queued(due.Count);
                if (due.Count < limit)
                {
                    yielded = false;
                    break;
                }
            }

            if (yielded)
            {
                // Letters are still due and the send path keeps up: the next sweep starts as soon as
                // this one ends instead of at the next interval, which would cap sending at
                // MaxBatchesPerSweep batches an interval.
                LogSweepAgain(options.Value.MaxBatchesPerSweep);
                await context.Scheduler.TriggerJob(context.JobDetail.Key, cancellationToken);
            }
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            database.ReportUnavailable(ex, time.GetUtcNow());
            metrics.Swept("failed");
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Queued notices not handed to the send path are swept again after RequeueAfter.
            LogSweepFailed(ex);
            metrics.Swept("failed");
            return;
        }

        metrics.Swept("completed");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered {Count} letters whose claim expired")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatched {Count} due letters")]
    private partial void LogDispatched(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The sweep queued its {Batches} batches with letters still due: the next starts at once")]
    private partial void LogSweepAgain(int batches);

    [LoggerMessage(Level = LogLevel.Error, Message = "The dispatch sweep failed; it runs again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
