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
    /// <summary>How many of <see cref="Created"/> were rejected at once by their kind's frequency cap.</summary>
    public int Capped { get; init; }

    public string Summary => $"enqueued {Created.Count}, dequeued {Dequeued}"
        + (Capped > 0 ? $", capped {Capped}" : "")
        + (AlreadySent.Count > 0 ? $", already sent before {AlreadySent.Count}" : "");
}

/// <summary>
/// What the scheduler shares among the events of a batch processed in one transaction
/// (<c>Intake/EventBatches</c>), under the locks of all their clients: the dequeue marks of those
/// clients, read once when the first letter of the batch needs them rather than once per letter, with
/// the marks the batch's own events add; and the batch's letters not saved yet, which a frequency cap
/// counts as it counts those in the database.
/// </summary>
/// <param name="lockedClients">The clients whose locks the transaction holds: only their marks are read once (no one else can add one until the commit).</param>
/// <param name="earliest">The earliest moment an event of the batch happened: only marks after it can dequeue a letter of the batch.</param>
public sealed class ScheduleBatch(IReadOnlyCollection<string> lockedClients, DateTimeOffset earliest)
{
    private readonly HashSet<string> _clients = lockedClients.ToHashSet(StringComparer.Ordinal);
    private readonly List<DequeueMark> _added = [];
    private List<DequeueMark>? _stored;

    /// <summary>The batch's letters created so far (saved or not).</summary>
    internal List<Notice> Created { get; } = [];

    /// <summary>Whether the later dequeues of <paramref name="clientId"/>'s letters of an event at <paramref name="occurredAt"/> are known here.</summary>
    internal bool Covers(string clientId, DateTimeOffset occurredAt) => occurredAt >= earliest && _clients.Contains(clientId);

    /// <summary>A dequeue an event of the batch made.</summary>
    internal void Added(DequeueMark mark) => _added.Add(mark);

    /// <summary>As <see cref="NoticeLedger.LaterDequeueAsync"/>, the marks read once for the whole batch.</summary>
    internal async Task<DequeueMark?> LaterDequeueAsync(NoticeLedger ledger, string clientId, string kind, string? contractId, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        _stored ??= await ledger.DequeueMarksAsync([.. _clients], earliest, cancellationToken);

        // A mark saved meanwhile may be in both lists: the earliest is the same.
        return _stored.Concat(_added)
            .Where(m => m.ClientId == clientId && m.Kind == kind && m.OccurredAt > occurredAt && (m.ContractId == null || m.ContractId == contractId))
            .MinBy(m => m.OccurredAt);
    }
}

/// <summary>
/// Turns an event's rule actions into ledger steps inside the caller's transaction: new notices
/// (dequeued at creation when a later event's dequeue overtook them; rejected at creation as
/// <c>capped</c> when their kind's frequency cap is reached; skipped when their unique key exists)
/// and dequeues. The caller saves what is left in the unit of work.
/// </summary>
/// <remarks>
/// The cap is checked where the notice is created: inside the event's transaction, under the
/// client's lock (<c>Persistence.ClientLock</c>), so two instances processing one client's events
/// never both find room for one more letter; a cap per recipient on letters with their own addresses
/// also locks those addresses, for two clients who share one. A letter counts towards its cap from its creation
/// while it is pending, sending, sent or shadowed; a letter dequeued, rejected or failed does not.
/// </remarks>
public sealed class NoticeScheduler(NoticesDbContext db, NoticeLedger ledger)
{
    /// <summary>
    /// Applies the actions the rules chose for <paramref name="evt"/>, with the <paramref name="settings"/> of every
    /// kind the caller read for those rules: read once per event, since each read costs a round trip for their stamp.
    /// An event of a batch shares its reads with the others (<paramref name="batch"/>).
    /// </summary>
    public async Task<ScheduleResult> ApplyAsync(
        IEvent evt,
        IReadOnlyList<NoticeAction> actions,
        IReadOnlyDictionary<string, EffectiveNoticeSettings> settings,
        DateTimeOffset now,
        TimeSpan queueFor,
        CancellationToken cancellationToken,
        ScheduleBatch? batch = null)
    {
        var dequeued = 0;
        var capped = 0;
        var created = new List<Notice>();
        var skipped = new List<string>();
        foreach (var action in actions)
        {
            switch (action)
            {
                case DequeueNotices dequeue when evt.ClientId is not null:
                    dequeued += await ledger.DequeueAsync(evt.ClientId, dequeue.Kind, dequeue.ContractId, evt.EventId, evt.GetType().Name, evt.OccurredAt, cancellationToken);
                    batch?.Added(new DequeueMark { ClientId = evt.ClientId, ContractId = dequeue.ContractId, Kind = dequeue.Kind, EventId = evt.EventId, OccurredAt = evt.OccurredAt });
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
                    if (evt.ClientId is not null && await LaterDequeueAsync(evt.ClientId, enqueue, evt.OccurredAt, batch, cancellationToken) is { } mark)
                    {
                        ledger.CreatedAfterItsDequeue(notice, mark);
                    }
                    else if (settings.TryGetValue(enqueue.Kind, out var kindSettings)
                        && kindSettings.Cap is { } cap
                        && await CappedByAsync(notice, cap, batch is null ? created : [.. batch.Created, .. created], now, cancellationToken) is { } reason)
                    {
                        ledger.CreatedRejected(notice, Rules.ReasonCodes.Capped, reason);
                        capped++;
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
        batch?.Created.AddRange(created);
        return new ScheduleResult(created, dequeued, skipped) { Capped = capped };
    }

    private Task<DequeueMark?> LaterDequeueAsync(string clientId, EnqueueNotice enqueue, DateTimeOffset occurredAt, ScheduleBatch? batch, CancellationToken cancellationToken) =>
        batch is not null && batch.Covers(clientId, occurredAt)
            ? batch.LaterDequeueAsync(ledger, clientId, enqueue.Kind, enqueue.ContractId, occurredAt, cancellationToken)
            : ledger.LaterDequeueAsync(clientId, enqueue.Kind, enqueue.ContractId, occurredAt, cancellationToken);

    /// <summary>
    /// Why <paramref name="notice"/> is over its kind's cap (<c>1 LowBalanceNotice per contract
    /// within 24 h already (notice 123)</c>), or null when there is room. The key: the client; the
    /// contract (the client for a letter about none); for <see cref="CapKey.Recipient"/>, the
    /// letter's own addresses when it has some (a manager's), else its client, whose addresses a
    /// client letter goes to — the addresses themselves are only known at send time.
    /// </summary>
    private async Task<string?> CappedByAsync(Notice notice, FrequencyCap cap, IReadOnlyList<Notice> earlier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - cap.Period;
        var addresses = cap.Per == CapKey.Recipient && notice.Recipients.Count > 0 ? notice.Recipients : null;
        var contractId = cap.Per == CapKey.Contract ? notice.ContractId : null;
        if (addresses is null && contractId is null && notice.ClientId is null)
        {
            return null;
        }

        if (addresses is not null)
        {
            // The client's lock is held already; letters of other clients to the same address are not
            // under it, so the addresses get a lock of their own until the event's transaction ends.
            await ClientLock.AcquireRecipientsAsync(db, addresses, cancellationToken);
        }

        var counted = db.Notices.AsNoTracking()
            .Where(n => n.Kind == notice.Kind && n.CreatedAt > since)
            .Where(n => n.Status == NoticeStatus.Pending || n.Status == NoticeStatus.Sending || n.Status == NoticeStatus.Sent || n.Status == NoticeStatus.Shadowed);
        counted = addresses is not null ? counted.Where(n => n.Recipients.Any(r => addresses.Contains(r)))
            : contractId is not null ? counted.Where(n => n.ContractId == contractId)
            : counted.Where(n => n.ClientId == notice.ClientId);
        var found = await counted.OrderByDescending(n => n.Id).Select(n => n.Id).Take(cap.Count).ToListAsync(cancellationToken);

        // Letters of the same event (or batch) not saved yet count too.
        var unsaved = earlier.Count(n => n.Kind == notice.Kind && n.Status == NoticeStatus.Pending && n.Id == 0
            && (addresses is not null ? n.Recipients.Intersect(addresses).Any() : contractId is not null ? n.ContractId == contractId : n.ClientId == notice.ClientId));
        if (found.Count + unsaved < cap.Count)
        {
            return null;
        }

        var per = contractId is not null ? "contract" : addresses is not null ? "recipient" : "client";
        return $"{cap.Count} {notice.Kind} per {per} within {SettingsText.Period(cap.Period)} already"
            + (found.Count > 0 ? $" (notice {found[0]})" : "");
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
