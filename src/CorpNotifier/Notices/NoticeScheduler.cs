using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Dispatch;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Notices;

/// <summary>What applying an event's actions did.</summary>
public sealed record ScheduleResult(IReadOnlyList<Notice> Created, int Dequeued, int SkippedAsDuplicate)
{
    public string Summary => $"enqueued {Created.Count}, dequeued {Dequeued}" + (SkippedAsDuplicate > 0 ? $", already sent before {SkippedAsDuplicate}" : "");
}

/// <summary>
/// Turns rule actions into rows inside the caller's transaction: new letters as <c>pending</c>
/// rows, cancellations as conditional updates that only ever touch <c>pending</c> letters.
/// </summary>
public sealed class NoticeScheduler(NoticesDbContext db)
{
    public static readonly JsonSerializerOptions ArgsJson = new(JsonSerializerDefaults.Web);

    public async Task<ScheduleResult> ApplyAsync(
        IEvent evt,
        IReadOnlyList<NoticeAction> actions,
        DateTimeOffset now,
        TimeSpan requeueAfter,
        CancellationToken cancellationToken)
    {
        var dequeued = 0;
        var created = new List<Notice>();
        var skipped = 0;
        foreach (var action in actions)
        {
            switch (action)
            {
                case DequeueNotices dequeue:
                    dequeued += await DequeueAsync(evt, dequeue, now, cancellationToken);
                    break;
                case EnqueueNotice enqueue:
                    var notice = NewNotice(evt, enqueue, now, requeueAfter);
                    if (await LaterDequeueAsync(evt, enqueue, cancellationToken) is { } mark)
                    {
                        // A later event that cancels this letter was processed first: the letter
                        // is recorded, already cancelled, and never sent.
                        notice.Status = NoticeStatus.Dequeued;
                        notice.QueuedUntil = null;
                        notice.DequeuedByEventId = mark.EventId;
                        notice.Reason = $"cancelled by {mark.EventId}, which happened later but was processed first";
                        notice.Record(now, TimelineEntryTypes.Dequeued, notice.Reason, mark.EventId);
                    }

                    if (enqueue.UniqueKey is null)
                    {
                        db.Notices.Add(notice);
                        created.Add(notice);
                        break;
                    }

                    // The usual repeat (a re-sync of an active contract) is found by a read; the
                    // unique index below still decides between two concurrent first times.
                    if (await db.Notices.AnyAsync(n => n.UniqueKey == enqueue.UniqueKey, cancellationToken))
                    {
                        skipped++;
                        break;
                    }

                    db.Notices.Add(notice);

                    // The unique index decides; EF rolls the failed insert back to its savepoint.
                    try
                    {
                        await db.SaveChangesAsync(cancellationToken);
                        created.Add(notice);
                    }
                    catch (DbUpdateException ex) when (ex.IsUniqueViolation())
                    {
                        db.Entry(notice).State = EntityState.Detached;
                        foreach (var entry in notice.Timeline)
                        {
                            db.Entry(entry).State = EntityState.Detached;
                        }

                        skipped++;
                    }

                    break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new ScheduleResult(created, dequeued, skipped);
    }

    private static Notice NewNotice(IEvent evt, EnqueueNotice action, DateTimeOffset now, TimeSpan requeueAfter)
    {
        var due = action.SendAt <= now;
        var notice = new Notice
        {
            EventId = evt.EventId,
            ClientId = evt.ClientId,
            ContractId = action.ContractId,
            Kind = action.Kind,
            Status = NoticeStatus.Pending,
            Origin = NoticeOrigin.Event,
            SendAt = due ? now : action.SendAt,
            Args = JsonSerializer.Serialize(action.Args, ArgsJson),
            UniqueKey = action.UniqueKey,
            QueuedUntil = FastPath.QueuedUntil(action.SendAt, now, requeueAfter),
            CreatedAt = now,
            UpdatedAt = now,
        };
        notice.Record(now, TimelineEntryTypes.Created, $"by {evt.GetType().Name}, due {notice.SendAt:O}", evt.EventId);
        return notice;
    }

    private Task<DequeueMark?> LaterDequeueAsync(IEvent evt, EnqueueNotice action, CancellationToken cancellationToken) =>
        db.DequeueMarks.AsNoTracking()
            .Where(m => m.ClientId == evt.ClientId && m.Kind == action.Kind && m.OccurredAt > evt.OccurredAt)
            .Where(m => m.ContractId == null || m.ContractId == action.ContractId)
            .OrderBy(m => m.OccurredAt)
            .FirstOrDefaultAsync(cancellationToken);

    private async Task<int> DequeueAsync(IEvent evt, DequeueNotices action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.DequeueMarks.Add(new DequeueMark
        {
            ClientId = evt.ClientId,
            ContractId = action.ContractId,
            Kind = action.Kind,
            EventId = evt.EventId,
            OccurredAt = evt.OccurredAt,
            CreatedAt = now,
        });

        var candidates = await db.Notices
            .Where(n => n.ClientId == evt.ClientId && n.Kind == action.Kind && n.Status == NoticeStatus.Pending)
            .Where(n => action.ContractId == null || n.ContractId == action.ContractId)
            .Select(n => n.Id)
            .ToListAsync(cancellationToken);

        var count = 0;
        foreach (var id in candidates)
        {
            // Conditional on 'pending': a letter the send path claimed meanwhile is not touched,
            // and once this commits the claim (also conditional on 'pending') can never take it.
            var updated = await db.Notices
                .Where(n => n.Id == id && n.Status == NoticeStatus.Pending)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(n => n.Status, NoticeStatus.Dequeued)
                        .SetProperty(n => n.DequeuedByEventId, evt.EventId)
                        .SetProperty(n => n.Reason, $"cancelled by {evt.GetType().Name}")
                        .SetProperty(n => n.QueuedUntil, (DateTimeOffset?)null)
                        .SetProperty(n => n.UpdatedAt, now),
                    cancellationToken);
            if (updated == 1)
            {
                db.Timeline.Add(new NoticeTimelineEntry
                {
                    NoticeId = id,
                    At = now,
                    Type = TimelineEntryTypes.Dequeued,
                    Detail = $"cancelled by {evt.GetType().Name}",
                    Actor = evt.EventId,
                });
                count++;
            }
        }

        return count;
    }
}
