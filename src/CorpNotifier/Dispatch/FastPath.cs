using CorpNotifier.Notices;
using MassTransit;

namespace CorpNotifier.Dispatch;

/// <summary>
/// The fast path for a notice due when it is created (by an event or an operator): it is marked
/// queued in the creating transaction, so the sweeper leaves it alone, and its dispatch command is
/// published right after the commit. If that publish is lost, the sweeper sends the notice once
/// <c>Dispatch:RequeueAfter</c> has passed.
/// </summary>
public static partial class FastPath
{
    /// <summary>Publishes the dispatch of every committed notice marked queued; a failure is logged, never thrown.</summary>
    public static async Task PublishAsync(IPublishEndpoint publish, IEnumerable<Notice> committed, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var notice in committed.Where(n => n.QueuedUntil is not null))
        {
            try
            {
                await publish.Publish(new DispatchNotice(notice.Id), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, notice.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId}: the immediate dispatch could not be published; the sweeper will send it")]
    private static partial void LogFailed(ILogger logger, Exception exception, long noticeId);
}
