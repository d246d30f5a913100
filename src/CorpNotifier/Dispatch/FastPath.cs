using CorpNotifier.Notices;

namespace CorpNotifier.Dispatch;

/// <summary>
/// The fast path for a notice due when it is created (by an event or an operator): it is marked
/// queued in the creating transaction, so the sweeper leaves it alone, and it is handed to this
/// instance's send path right after the commit. If that hand-over is lost (the process stops), the
/// sweeper sends the notice once <c>Dispatch:RequeueAfter</c> has passed.
/// </summary>
public static partial class FastPath
{
    /// <summary>Hands every committed notice marked queued to the send path; a failure is logged, never thrown.</summary>
    public static async Task DispatchAsync(LocalDispatcher dispatcher, IEnumerable<Notice> committed, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var notice in committed.Where(n => n.QueuedUntil is not null))
        {
            try
            {
                await dispatcher.EnqueueAsync(notice.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, notice.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId}: the immediate dispatch could not be handed to the send path; the sweeper will send it")]
    private static partial void LogFailed(ILogger logger, Exception exception, long noticeId);
}
