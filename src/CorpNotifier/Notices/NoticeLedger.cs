using System.Text.Json.Nodes;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Notices;

/// <summary>A notice about to be created: for whom, what, when, and what caused it.</summary>
/// <param name="ClientId">The client it is for.</param>
/// <param name="ContractId">The contract it is about, when it is about one.</param>
/// <param name="Kind">The notice kind, e.g. <c>LowBalanceNotice</c>.</param>
/// <param name="Origin">An event, an operator's manual send, or a re-send.</param>
/// <param name="Args">Its template arguments.</param>
/// <param name="SendAt">When it may go out; at or before now means at once.</param>
/// <param name="Actor">The event id or operator name that caused it (shown on its timeline).</param>
/// <param name="Cause">How it came to be, in words: <c>by ContractChanged</c>, <c>manual by anna</c>.</param>
public sealed record NoticeDraft(
    string? ClientId,
    string? ContractId,
    string Kind,
    NoticeOrigin Origin,
    DateTimeOffset SendAt,
    JsonObject Args,
    string Actor,
    string Cause)
{
    public string? EventId { get; init; }

    public long? ResendOfId { get; init; }

    /// <summary>A business key that makes the notice unique (one activation notice per contract, one manual send per idempotency key).</summary>
    public string? UniqueKey { get; init; }

    /// <summary>For a staff or manager letter: the country whose extra recipients it goes to.</summary>
    public string? Country { get; init; }

    /// <summary>Addresses besides the audience's (a sales manager's).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];
}

/// <summary>
/// The one owner of a notice's life: the only code that creates a notice or changes its status.
/// Each step is one conditional change (a status it may only leave from where it is, or the
/// claim's lease token), one timeline entry and one count on the <c>corp_notifier.letters</c>
/// meter, together. Callers keep their own decisions — which notices an event wants, whether an
/// operator may act, what the mailer answered — and tell the ledger what happened.
/// </summary>
/// <remarks>
/// Steps that change a notice loaded into the unit of work (create, claim, accept, retry,
/// finish) are saved by <see cref="SaveAsync"/> or the caller's transaction; steps that change a
/// notice by id (an event's dequeue, an operator's cancel or restore, recovering a lease) are
/// conditional updates in the database, so two instances, or an operator and the send path,
/// never both win. An operator's step is committed by the caller together with its audit record,
/// in one transaction: the change is never kept without the record of who made it.
/// </remarks>
public sealed class NoticeLedger(NoticesDbContext db, TimeProvider time, NotifierMetrics metrics, DatabaseAvailability database)
{
    /// <summary>
    /// A new pending notice, added to the unit of work (the caller commits it), created at
    /// <paramref name="now"/> (the moment its cause was processed; its delay counts from the event's
    /// moment, <c>RuleContext.DueAt</c>). A
    /// notice due now is marked queued for <paramref name="queueFor"/>: the fast path hands it to
    /// the send queue right after the commit, and the sweeper leaves it alone until then.
    /// </summary>
    public Notice Create(NoticeDraft draft, DateTimeOffset now, TimeSpan queueFor)
    {
        var due = draft.SendAt <= now;
        var notice = new Notice
        {
            EventId = draft.EventId,
            ClientId = draft.ClientId,
            ContractId = draft.ContractId,
            Country = draft.Country,
            Recipients = [.. draft.Recipients],
            Kind = draft.Kind,
            Status = NoticeStatus.Pending,
            Origin = draft.Origin,
            SendAt = due ? now : draft.SendAt,
            Args = draft.Args.DeepClone().AsObject(),
            ResendOfId = draft.ResendOfId,
            UniqueKey = draft.UniqueKey,
            QueuedUntil = due ? now + queueFor : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Step(notice, now, TimelineEntryType.Created, $"{draft.Cause}, due {notice.SendAt:O}", draft.Actor);
        db.Notices.Add(notice);
        return notice;
    }

    /// <summary>
    /// A notice whose dequeue was processed before it: an event that happened later and
    /// dequeues it overtook the event that creates it. It is recorded, already dequeued, never sent.
    /// </summary>
    public void CreatedAfterItsDequeue(Notice notice, DequeueMark mark)
    {
        var now = notice.CreatedAt;
        notice.Status = NoticeStatus.Dequeued;
        notice.QueuedUntil = null;
        notice.DequeuedByEventId = mark.EventId;
        notice.Reason = $"dequeued by event {mark.EventId}, which happened later but was processed first";
        Step(notice, now, TimelineEntryType.Dequeued, notice.Reason, mark.EventId);
    }

    /// <summary>A new notice the database refused (its unique key exists): it is forgotten, unsaved.</summary>
    public void Discard(Notice notice)
    {
        db.Entry(notice).State = EntityState.Detached;
        foreach (var entry in notice.Timeline)
        {
            db.Entry(entry).State = EntityState.Detached;
        }
    }

    /// <summary>The earliest dequeue of this kind that happened after <paramref name="occurredAt"/> and was already processed.</summary>
    public Task<DequeueMark?> LaterDequeueAsync(string clientId, string kind, string? contractId, DateTimeOffset occurredAt, CancellationToken cancellationToken) =>
        db.DequeueMarks.AsNoTracking()
            .Where(m => m.ClientId == clientId && m.Kind == kind && m.OccurredAt > occurredAt)
            .Where(m => m.ContractId == null || m.ContractId == contractId)
            .OrderBy(m => m.OccurredAt)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The dequeues of these clients' letters that happened after <paramref name="after"/>, in one
    /// read: what <see cref="LaterDequeueAsync"/> looks up, for a batch of events at once.
    /// </summary>
    public async Task<List<DequeueMark>> DequeueMarksAsync(IReadOnlyCollection<string> clientIds, DateTimeOffset after, CancellationToken cancellationToken) =>
        clientIds.Count == 0 ? []
        : await db.DequeueMarks.AsNoTracking()
            .Where(m => clientIds.Contains(m.ClientId) && m.OccurredAt > after)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// An event dequeues the client's pending notices of a kind (of one contract, or all): they end
    /// <c>dequeued</c>, by the event. The dequeue is remembered as a mark, whether or not it finds a
    /// notice, so a notice an earlier event creates later is dequeued at creation. Returns how many
    /// it dequeued.
    /// </summary>
    public async Task<int> DequeueAsync(string clientId, string kind, string? contractId, string eventId, string eventType, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.DequeueMarks.Add(new DequeueMark
        {
            ClientId = clientId,
            ContractId = contractId,
            Kind = kind,
            EventId = eventId,
            OccurredAt = occurredAt,
            CreatedAt = now,
        });

        var candidates = await db.Notices
            .Where(n => n.ClientId == clientId && n.Kind == kind && n.Status == NoticeStatus.Pending)
            .Where(n => contractId == null || n.ContractId == contractId)
            .Select(n => n.Id)
            .ToListAsync(cancellationToken);

        var count = 0;
        var reason = $"dequeued by {eventType}";
        foreach (var id in candidates)
        {
            // Conditional on 'pending': a notice the send path claimed meanwhile is not touched,
            // and once this commits the claim (also conditional on 'pending') can never take it.
            var updated = await db.Notices
                .Where(n => n.Id == id && n.Status == NoticeStatus.Pending)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(n => n.Status, NoticeStatus.Dequeued)
                        .SetProperty(n => n.DequeuedByEventId, eventId)
                        .SetProperty(n => n.Reason, reason)
                        .SetProperty(n => n.QueuedUntil, (DateTimeOffset?)null)
                        .SetProperty(n => n.UpdatedAt, now),
                    cancellationToken);
            if (updated == 1)
            {
                Step(id, kind, now, TimelineEntryType.Dequeued, reason, eventId);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// An operator cancels a pending notice: it ends <c>dequeued</c>, by the operator. False when it
    /// is no longer pending (the send path has it, or it is done). The change is made at once; its
    /// timeline entry waits in the unit of work, for the caller to save with its audit record in the
    /// caller's transaction.
    /// </summary>
    public async Task<bool> CancelAsync(Notice notice, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reason = $"cancelled by {actor}";

        // Conditional on 'pending': the send path claims with the same condition, so exactly one wins.
        var updated = await db.Notices
            .Where(n => n.Id == notice.Id && n.Status == NoticeStatus.Pending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.Status, NoticeStatus.Dequeued)
                    .SetProperty(n => n.DequeuedBy, actor)
                    .SetProperty(n => n.Reason, reason)
                    .SetProperty(n => n.QueuedUntil, (DateTimeOffset?)null)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        Step(notice.Id, notice.Kind, now, TimelineEntryType.Dequeued, reason, actor);
        return true;
    }

    /// <summary>
    /// An operator restores a notice an operator cancelled (not one an event dequeued) to pending,
    /// while it is still due in the future. False otherwise. As <see cref="CancelAsync"/>, the caller
    /// saves the timeline entry in its transaction.
    /// </summary>
    public async Task<bool> RestoreAsync(Notice notice, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updated = await db.Notices
            .Where(n => n.Id == notice.Id && n.Status == NoticeStatus.Dequeued && n.DequeuedBy != null && n.SendAt > now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.Status, NoticeStatus.Pending)
                    .SetProperty(n => n.DequeuedBy, (string?)null)
                    .SetProperty(n => n.Reason, (string?)null)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        Step(notice.Id, notice.Kind, now, TimelineEntryType.Restored, $"restored by {actor}", actor);
        return true;
    }

    /// <summary>
    /// The send path takes due pending notices under one lease (a batch, or a single letter); only
    /// the holder of <paramref name="token"/> may record what became of them. One statement for the
    /// batch. Those not due, already claimed or no longer pending are left out: a notice handed over
    /// twice and concurrent instances find nothing. The caller adds each claim's step (<see cref="Claimed"/>).
    /// </summary>
    public async Task<IReadOnlyList<Notice>> ClaimAsync(IReadOnlyCollection<long> ids, Guid token, TimeSpan lease, Guid holder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wanted = ids.Distinct().ToArray();
        List<Notice> taken;
        if (db.Database.IsNpgsql())
        {
            // One round trip on the hot path: the claim returns the rows it took.
            taken = await db.Notices
                .FromSql($"""
                    UPDATE notices SET status = 'sending', lease_token = {token}, lease_until = {now + lease}, lease_holder = {holder},
                        queued_until = NULL, attempts = attempts + 1, updated_at = {now}
                    WHERE id = ANY({wanted}) AND status = 'pending' AND send_at <= {now}
                    RETURNING *
                    """)
                .AsAsyncEnumerable()
                .ToListAsync(cancellationToken);
        }
        else
        {
            var claimed = await db.Notices
                .Where(n => wanted.Contains(n.Id) && n.Status == NoticeStatus.Pending && n.SendAt <= now)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(n => n.Status, NoticeStatus.Sending)
                        .SetProperty(n => n.LeaseToken, token)
                        .SetProperty(n => n.LeaseUntil, now + lease)
                        .SetProperty(n => n.LeaseHolder, holder)
                        .SetProperty(n => n.QueuedUntil, (DateTimeOffset?)null)
                        .SetProperty(n => n.Attempts, n => n.Attempts + 1)
                        .SetProperty(n => n.UpdatedAt, now),
                    cancellationToken);
            taken = claimed == 0 ? [] : await db.Notices.Where(n => wanted.Contains(n.Id) && n.LeaseToken == token).ToListAsync(cancellationToken);
        }

        return taken;
    }

    /// <summary>The claim's step (<c>claimed</c>, attempt N, by the instance) in the unit of work.</summary>
    public void Claimed(Notice notice, string instance) =>
        Step(notice, notice.UpdatedAt, TimelineEntryType.Claimed, $"attempt {notice.Attempts}", instance);

    /// <summary>
    /// The mailer accepted the letter for <paramref name="recipient"/>: a step and a delivery record in
    /// the unit of work. Once saved, a recovered notice skips the recipients already served.
    /// </summary>
    public void Accepted(Notice notice, string recipient, string maskedRecipient, string? providerMessageId)
    {
        var now = time.GetUtcNow();
        notice.SentTo.Add(recipient);
        notice.ProviderMessageId = providerMessageId ?? notice.ProviderMessageId;
        notice.UpdatedAt = now;
        Step(notice, now, TimelineEntryType.RecipientAccepted, $"{maskedRecipient} accepted" + (providerMessageId is null ? "" : $", message id {providerMessageId}"));
        // What a delivery report names the letter by: the mailer's id of this recipient's letter.
        db.Set<LetterDelivery>().Add(new LetterDelivery
        {
            NoticeId = notice.Id,
            Recipient = recipient,
            ProviderMessageId = LetterDeliveryIds.Normalize(providerMessageId),
            AcceptedAt = now,
        });
    }

    /// <summary>
    /// A delivery report matched to one of the notice's letters (<c>delivered</c>, <c>deferred</c>,
    /// <c>bounced</c>, <c>complained</c>): a step on its timeline, saved by the caller with the report.
    /// </summary>
    public void DeliveryReported(long noticeId, string kind, TimelineEntryType type, string detail, string source)
    {
        if (type is not (TimelineEntryType.Delivered or TimelineEntryType.Deferred or TimelineEntryType.Bounced or TimelineEntryType.Complained))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a delivery step");
        }

        Step(noticeId, kind, time.GetUtcNow(), type, detail, source);
    }

    /// <summary>A recipient left out of this attempt (a suppressed address, an unsubscribe): a step on the timeline, saved with the outcome.</summary>
    public void RecipientSkipped(Notice notice, string maskedRecipient, string reasonCode, string reason)
    {
        Step(notice, time.GetUtcNow(), TimelineEntryType.RecipientSkipped, $"{maskedRecipient} skipped, {reasonCode}: {reason}");
    }

    /// <summary>This attempt failed; the notice is pending again, for another attempt at <paramref name="next"/> (in the unit of work).</summary>
    public void Retry(Notice notice, string reasonCode, string error, DateTimeOffset next)
    {
        var now = time.GetUtcNow();
        notice.Status = NoticeStatus.Pending;
        notice.SendAt = next;
        notice.ReasonCode = reasonCode;
        notice.Reason = Notice.Truncate(error);
        notice.LeaseToken = null;
        notice.LeaseUntil = null;
        notice.LeaseHolder = null;
        notice.UpdatedAt = now;
        Step(notice, now, TimelineEntryType.AttemptFailed, $"attempt {notice.Attempts} failed: {error}; next attempt at {next:O}");
    }

    /// <summary>
    /// A claimed letter taken outside its send window goes back to pending until the window's next
    /// opening; the claim does not count as an attempt. <paramref name="detail"/> says until when, in the
    /// recipient's time ("held for the send window until 09:00 Europe/Moscow"). In the unit of work.
    /// </summary>
    public void Hold(Notice notice, DateTimeOffset until, string detail)
    {
        var now = time.GetUtcNow();
        notice.Status = NoticeStatus.Pending;
        notice.SendAt = until;
        notice.Attempts = Math.Max(0, notice.Attempts - 1);
        notice.LeaseToken = null;
        notice.LeaseUntil = null;
        notice.LeaseHolder = null;
        notice.QueuedUntil = null;
        notice.UpdatedAt = now;
        Step(notice, now, TimelineEntryType.Held, detail);
    }

    /// <summary>
    /// A pending letter given a new moment after its recipient's calendar changed (<c>Calendars/CalendarReplanner</c>):
    /// only while it is still pending at <paramref name="expected"/> — one the send path took meanwhile,
    /// or an operator moved, is left alone (false). Its <c>held</c> step ("re-planned after …") waits in the
    /// unit of work for the caller to save.
    /// </summary>
    public async Task<bool> ReplanAsync(long id, string kind, DateTimeOffset expected, DateTimeOffset sendAt, string detail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updated = await db.Notices
            .Where(n => n.Id == id && n.Status == NoticeStatus.Pending && n.SendAt == expected)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.SendAt, sendAt).SetProperty(n => n.UpdatedAt, now), cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        Step(id, kind, now, TimelineEntryType.Held, detail);
        return true;
    }

    /// <summary>
    /// The notice's outcome: sent, shadowed (with the slug and recipients it would have had),
    /// rejected or failed. Its secret arguments are masked in storage from now on. In the unit of
    /// work; once saved, a sent letter is counted by <see cref="CountSent"/>.
    /// </summary>
    public void Finish(Notice notice, NoticeStatus outcome, string? reasonCode, string? reason, IEnumerable<string> secretArguments)
    {
        if (outcome is not (NoticeStatus.Sent or NoticeStatus.Shadowed or NoticeStatus.Rejected or NoticeStatus.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an outcome of the send path");
        }

        var now = time.GetUtcNow();
        notice.Status = outcome;
        notice.ReasonCode = reasonCode;
        notice.Reason = Notice.Truncate(reason);
        notice.LeaseToken = null;
        notice.LeaseUntil = null;
        notice.LeaseHolder = null;
        notice.UpdatedAt = now;
        if (outcome == NoticeStatus.Sent)
        {
            notice.SentAt = now;
        }

        notice.Args = MaskSecrets(notice.Args, secretArguments);
        Step(notice, now, outcome switch
        {
            NoticeStatus.Sent => TimelineEntryType.Sent,
            NoticeStatus.Shadowed => TimelineEntryType.Shadowed,
            NoticeStatus.Rejected => TimelineEntryType.Rejected,
            _ => TimelineEntryType.Failed,
        }, reasonCode is null ? reason : $"{reasonCode}: {reason}");
    }

    /// <summary>A sent letter, saved: counted with how late it went out.</summary>
    public void CountSent(Notice notice)
    {
        if (notice is { Status: NoticeStatus.Sent, SentAt: { } sentAt })
        {
            metrics.NoticeSent(notice.Kind, sentAt - notice.SendAt);
        }
    }

    /// <summary>Shadow mode: what the notice's letters would have been sent with.</summary>
    public static void WouldHaveSent(Notice notice, string slug, IReadOnlyList<string> recipients)
    {
        notice.SentSlug = slug;
        notice.SentTo = [.. recipients];
    }

    /// <summary>A message the notice's sending caused (see its rule) was published and confirmed: a step on its timeline.</summary>
    public async Task MessagePublishedAsync(long noticeId, string detail, CancellationToken cancellationToken)
    {
        var kind = await db.Notices.Where(n => n.Id == noticeId).Select(n => n.Kind).FirstAsync(cancellationToken);
        Step(noticeId, kind, time.GetUtcNow(), TimelineEntryType.MessagePublished, detail);
    }

    /// <summary>Puts notices whose claim expired (their instance died mid-send) back to pending; returns their ids.</summary>
    public async Task<IReadOnlyList<long>> RecoverExpiredLeasesAsync(int batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await db.Notices
            .Where(n => n.Status == NoticeStatus.Sending && n.LeaseUntil < now)
            .OrderBy(n => n.LeaseUntil)
            .Select(n => new { n.Id, n.Kind, n.LeaseToken })
            .Take(batch)
            .ToListAsync(cancellationToken);

        var recovered = new List<long>();
        foreach (var notice in expired)
        {
            if (await PutBackAsync(notice.Id, notice.LeaseToken, now, cancellationToken))
            {
                Step(notice.Id, notice.Kind, now, TimelineEntryType.LeaseExpired, "the instance that claimed the letter did not finish in time; retrying");
                recovered.Add(notice.Id);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return recovered;
    }

    /// <summary>
    /// Hands back the claims whose send path the database interrupted before the mailer was called:
    /// waits for the database, then puts the letters back to pending if their claim is still
    /// <paramref name="leaseToken"/>'s, so the next attempt claims them at once instead of waiting
    /// out the lease. Returns how many were put back.
    /// </summary>
    public async Task<int> HandBackAfterOutageAsync(IReadOnlyCollection<long> ids, Guid leaseToken, Exception outage, CancellationToken cancellationToken)
    {
        database.ReportUnavailable(outage, time.GetUtcNow());
        await database.WaitUntilAvailableAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await PutBackAsync(ids, leaseToken, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>A claimed letter back to pending, if the claim is still the one read (its lease token); true when it was.</summary>
    private async Task<bool> PutBackAsync(long id, Guid? leaseToken, DateTimeOffset now, CancellationToken cancellationToken) =>
        await PutBackAsync([id], leaseToken, now, cancellationToken) == 1;

    /// <summary>Claimed letters back to pending, those whose claim is still <paramref name="leaseToken"/>; returns how many.</summary>
    private async Task<int> PutBackAsync(IReadOnlyCollection<long> ids, Guid? leaseToken, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Notices
            .Where(n => ids.Contains(n.Id) && n.Status == NoticeStatus.Sending && n.LeaseToken == leaseToken)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.Status, NoticeStatus.Pending)
                    .SetProperty(n => n.LeaseToken, (Guid?)null)
                    .SetProperty(n => n.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(n => n.LeaseHolder, (Guid?)null)
                    .SetProperty(n => n.QueuedUntil, (DateTimeOffset?)null)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);

    /// <summary>
    /// Puts back to pending the letters an earlier process claimed (<paramref name="formerHolder"/>),
    /// without waiting for their lease: the process starting under the same instance name
    /// (<paramref name="instance"/>) calls this once it knows that process is gone — a name is run by
    /// one process at a time, and its heartbeat stopped. Its claims are no one's any more, so no live
    /// holder can still record them; a letter the mailer accepted just before the crash may go out
    /// once more (the documented crash window), exactly as after a lease expiry. Returns their ids.
    /// </summary>
    public async Task<IReadOnlyList<long>> TakeBackAsync(Guid formerHolder, string instance, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = await db.Notices
            .Where(n => n.Status == NoticeStatus.Sending && n.LeaseHolder == formerHolder)
            .Select(n => new { n.Id, n.Kind, n.LeaseToken })
            .ToListAsync(cancellationToken);

        var taken = new List<long>();
        foreach (var notice in claimed)
        {
            if (await PutBackAsync(notice.Id, notice.LeaseToken, now, cancellationToken))
            {
                Step(notice.Id, notice.Kind, now, TimelineEntryType.LeaseExpired, $"taken back at the restart of {instance}: the process that claimed the letter is gone; retrying", instance);
                taken.Add(notice.Id);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return taken;
    }

    /// <summary>
    /// Saves what the send path did. What the mailer accepted must not be forgotten because the
    /// database is gone for a while: the save waits for it to come back and tries again, rather than
    /// leave the claim to expire and the notice's letters to go out a second time. (After an outage the
    /// sweeper leaves expired claims alone for one lease, so their holders can record them first.)
    /// A failure that only looks like an outage is given up after a few tries.
    /// </summary>
    public Task SaveAsync(CancellationToken cancellationToken) =>
        OutlastingOutagesAsync(db.SaveChangesAsync, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on the database, waiting out an outage and trying again as
    /// <see cref="SaveAsync"/> does: for the send path's reads between its saves, which must not
    /// abandon letters the mailer has accepted because the database is briefly gone.
    /// </summary>
    public async Task<T> OutlastingOutagesAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        const int falseAlarmLimit = 3;
        var falseAlarms = 0;
        while (true)
        {
            var outagesBefore = database.ConfirmedOutages;
            try
            {
                return await work(cancellationToken);
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
            {
                database.ReportUnavailable(ex, time.GetUtcNow());
                await database.WaitUntilAvailableAsync(cancellationToken);
                if (database.ConfirmedOutages == outagesBefore && ++falseAlarms >= falseAlarmLimit)
                {
                    throw;
                }
            }
        }
    }

    private static JsonObject MaskSecrets(JsonObject args, IEnumerable<string> secretArguments)
    {
        var secrets = secretArguments.Where(args.ContainsKey).ToList();
        if (secrets.Count == 0)
        {
            return args;
        }

        var masked = args.DeepClone().AsObject();
        foreach (var name in secrets)
        {
            masked[name] = Secret.Masked;
        }

        return masked;
    }

    /// <summary>The step as the meter counts it (a failed attempt is a <c>retry</c>, as ops' alerts say).</summary>
    private static string Outcome(TimelineEntryType type) => type == TimelineEntryType.AttemptFailed ? "retry" : WireName.Of(type);

    /// <summary>A step of a notice in the unit of work: its timeline entry and its count.</summary>
    private void Step(Notice notice, DateTimeOffset at, TimelineEntryType type, string? detail, string? actor = null)
    {
        notice.Timeline.Add(new NoticeTimelineEntry { NoticeId = notice.Id, At = at, Type = type, Detail = Notice.Truncate(detail), Actor = actor });
        metrics.NoticeStep(notice.Kind, Outcome(type));
    }

    /// <summary>A step of a notice changed by id (not loaded): its timeline entry and its count.</summary>
    private void Step(long id, string kind, DateTimeOffset at, TimelineEntryType type, string? detail, string? actor = null)
    {
        db.Timeline.Add(new NoticeTimelineEntry { NoticeId = id, At = at, Type = type, Detail = Notice.Truncate(detail), Actor = actor });
        metrics.NoticeStep(kind, Outcome(type));
    }

    /// <summary>
    /// A new notice a check at its creation refused (a frequency cap): recorded, rejected at once
    /// with <paramref name="reasonCode"/>, never queued or sent.
    /// </summary>
    public void CreatedRejected(Notice notice, string reasonCode, string reason)
    {
        notice.Status = NoticeStatus.Rejected;
        notice.QueuedUntil = null;
        notice.ReasonCode = reasonCode;
        notice.Reason = Notice.Truncate(reason);
        Step(notice, notice.CreatedAt, TimelineEntryType.Rejected, $"{reasonCode}: {reason}");
    }
}
