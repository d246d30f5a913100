using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Notices;

/// <summary>What applying an event's actions did: the notices created, how many were dequeued, and the kinds not made again because their unique key exists.</summary>
public sealed record ScheduleResult(IReadOnlyList<Notice> Created, int Dequeued, IReadOnlyList<string> AlreadySent)
{
    public string Summary => $"enqueued {Created.Count}, dequeued {Dequeued}" + (AlreadySent.Count > 0 ? $", already sent before {AlreadySent.Count}" : "");
}

/// <summary>
/// Turns an event's rule actions into ledger steps inside the caller's transaction: new notices
/// (dequeued at creation when a later event's dequeue overtook them; skipped when their unique
/// key exists) and dequeues. The caller saves what is left in the unit of work.
/// </summary>
public sealed class NoticeScheduler(NoticesDbContext db, NoticeLedger ledger)
{
    public async Task<ScheduleResult> ApplyAsync(IEvent evt, IReadOnlyList<NoticeAction> actions, DateTimeOffset now, TimeSpan queueFor, CancellationToken cancellationToken)
    {
        var dequeued = 0;
        var created = new List<Notice>();
        var skipped = new List<string>();
        foreach (var action in actions)
        {
            switch (action)
            {
                case DequeueNotices dequeue when evt.ClientId is not null:
                    dequeued += await ledger.DequeueAsync(evt.ClientId, dequeue.Kind, dequeue.ContractId, evt.EventId, evt.GetType().Name, evt.OccurredAt, cancellationToken);
                    break;
                case EnqueueNotice enqueue:
                    // The usual repeat (a re-sync of an active contract) is found by a read; the
                    // unique index below still decides between two concurrent first times.
                    if (enqueue.UniqueKey is not null && await db.Notices.AnyAsync(n => n.UniqueKey == enqueue.UniqueKey, cancellationToken))
                    {
                        skipped.Add(enqueue.Kind);
                        break;
                    }

                    var notice = ledger.Create(Draft(evt, enqueue), now, queueFor);
                    if (evt.ClientId is not null && await ledger.LaterDequeueAsync(evt.ClientId, enqueue.Kind, enqueue.ContractId, evt.OccurredAt, cancellationToken) is { } mark)
                    {
                        ledger.CreatedAfterItsDequeue(notice, mark);
                    }

                    if (enqueue.UniqueKey is null)
                    {
                        created.Add(notice);
                        break;
                    }

                    // The unique index decides; EF rolls the failed insert back to its savepoint.
                    try
                    {
                        await db.SaveChangesAsync(cancellationToken);
                        created.Add(notice);
                    }
                    catch (DbUpdateException ex) when (ex.IsUniqueViolationOn(NoticeConfiguration.Table))
                    {
                        ledger.Discard(notice);
                        skipped.Add(enqueue.Kind);
                    }

                    break;
            }
        }

        // The caller's save stores the rest, with its own changes, in one round trip.
        return new ScheduleResult(created, dequeued, skipped);
    }

    private static NoticeDraft Draft(IEvent evt, EnqueueNotice action) =>
        new(action.ClientId ?? evt.ClientId, action.ContractId, action.Kind, NoticeOrigin.Event, action.SendAt,
            JsonSerializer.SerializeToNode(action.Args, AppJson.Options)!.AsObject(), evt.EventId, $"by {evt.GetType().Name}")
        {
            EventId = evt.EventId,
            UniqueKey = action.UniqueKey,
            Country = action.Country,
            Recipients = action.Recipients,
        };
}
