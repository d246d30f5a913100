using CorpNotifier.Dispatch;
using CorpNotifier.Persistence;
using Quartz;

namespace CorpNotifier.Intake;

/// <summary>
/// Every <c>Intake:ParkedRetryInterval</c> on every instance: marks expired the parked events that
/// waited <c>Intake:MaxWait</c>, then tries again the waiting ones not tried for an interval (with
/// <c>ClientDirectory = Http</c> the only way their data is noticed; with the local directory a
/// safety net for a release lost to a crash), and hands the letters they make to the send path.
/// Skipped while the database is unavailable.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ParkedEventsJob(
    ParkedEvents parked,
    LocalDispatcher dispatcher,
    DatabaseAvailability database,
    TimeProvider time,
    ILogger<ParkedEventsJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!database.IsAvailable)
        {
            return;
        }

        try
        {
            await parked.ExpireAsync(cancellationToken);
            var run = await parked.RetryDueAsync(cancellationToken);
            await FastPath.DispatchAsync(dispatcher, run.Created, logger, cancellationToken);
            if (run.Ran > 0)
            {
                LogRan(run.Ran);
            }
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            database.ReportUnavailable(ex, time.GetUtcNow());
        }
        catch (Clients.ClientDirectoryUnavailableException ex)
        {
            LogDirectoryUnavailable(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Periodic retry: {Count} parked events ran, their data having come")]
    private partial void LogRan(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Periodic retry of parked events stopped: {Reason}; tried again next interval")]
    private partial void LogDirectoryUnavailable(string reason);
}
