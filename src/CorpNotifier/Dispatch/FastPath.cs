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
        var due = committed.Where(n => n.QueuedUntil is not null).Select(n => n.Id).ToList();
        if (due.Count == 0)
        {
            return;
        }

        try
        {
            // Together, so that the letters of one commit (a batch of events) are sent as one batch.
            await dispatcher.EnqueueAsync(due, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, due.Count, due[0]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} letters due now (the first notice {NoticeId}) could not be handed to the send path; the sweeper will send them")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count, long noticeId);
}
