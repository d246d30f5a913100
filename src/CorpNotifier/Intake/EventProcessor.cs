using CorpNotifier.Calendars;
using CorpNotifier.Clients;
using CorpNotifier.Contracts;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Mailers;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>
/// A balance event arrived before its contract (events of different types travel on different
/// queues, from different producers). Retried in-process for a few seconds; after that the event
/// is parked until the contract arrives (<see cref="ParkedEvents"/>).
/// </summary>
public sealed class ContractNotYetKnownException(string contractId)
    : Exception($"contract {contractId} is not known to the client directory yet")
{
    /// <summary>An expected wait, logged as one line: no stack trace.</summary>
    public override string? StackTrace => null;
}

/// <summary>
/// An event arrived before its client's profile. Retried in-process for a few seconds; after that
/// the event is parked until the profile arrives.
/// </summary>
public sealed class ClientNotYetKnownException(string clientId)
    : Exception($"client {clientId} is not known to the client directory yet")
{
    /// <summary>An expected wait, logged as one line: no stack trace.</summary>
    public override string? StackTrace => null;
}

public enum EventOutcome
{
    Processed,

    /// <summary>The client's profile or the contract the event needs is not known yet: the event waits for it (<see cref="EventStatus.Waiting"/>).</summary>
    Parked,

    /// <summary>The event id was seen before, with the same body: nothing was done again.</summary>
    Duplicate,

    /// <summary>The event id was seen before with a different body: nothing was done, and the event is refused (<see cref="EventResult.Conflict"/>).</summary>
    Conflict,
}

/// <summary>Something about how an event was processed that is worth telling (the simulation shows it as a note).</summary>
public abstract record EventNote
{
    /// <summary>The event's client profile or contract is not known yet: the event waits for it, and runs when it comes.</summary>
    public sealed record Waiting(MissingData Missing, string MissingId) : EventNote;

    /// <summary>A parked event ran, its data having come.</summary>
    public sealed record Resumed(string EventId, string EventType) : EventNote;

    /// <summary>Letters the event calls for that go out once only (per contract, per request) already exist: they were not made again.</summary>
    public sealed record AlreadySent(IReadOnlyList<string> Kinds) : EventNote;
}

/// <summary>What processing an event did: its outcome, the notices it created, what is worth telling, and the summary stored with it.</summary>
public sealed record EventResult(EventOutcome Outcome, IReadOnlyList<Notice> Created, string? Summary)
{
    public static readonly EventResult Duplicate = new(EventOutcome.Duplicate, [], null);

    public IReadOnlyList<EventNote> Notes { get; init; } = [];

    /// <summary>What differs from the event stored under the same id, when the outcome is <see cref="EventOutcome.Conflict"/>.</summary>
    public EventConflict? Conflict { get; init; }

    /// <summary>
    /// The client whose parked events may run now: the event brought data (a profile, a contract)
    /// and the client has events waiting. The caller runs them (<see cref="ParkedEvents.RunWaitingAsync"/>)
    /// after this event's commit.
    /// </summary>
    public string? ReleasesWaitingOf { get; init; }
}

/// <summary>
/// What every event consumer does: refuse an invalid event, act once per event id, gather the
/// data the rules need, apply the rules' actions in one transaction, then hand immediate
/// notices to the send path. An event whose client profile or contract is not known yet waits a
/// few in-process retries (the fast path for data a second behind), then is parked: stored as
/// <see cref="EventStatus.Waiting"/>, to run when the data arrives (<see cref="ParkedEvents"/>).
/// </summary>
public sealed partial class EventProcessor(
    NoticesDbContext db,
    LocalDirectoryWriter localDirectory,
    IClientDirectory directory,
    NoticeCatalog catalog,
    INoticeSettingsSource settings,
    NoticeScheduler scheduler,
    TimeProvider time,
    IOptions<DispatchOptions> dispatchOptions,
    IOptions<AudienceOptions> audience,
    DisplayText display,
    SendTimes sendTimes,
    NotifierMetrics metrics,
    ILogger<EventProcessor> logger)
{
    /// <summary>The country an event names, for a letter to someone the client directory does not know (yet).</summary>
    private static string? EventCountry(IEvent evt) => evt switch
    {
        ClientProfileChanged e => e.Country,
        ClientRequestCreated e => e.Country,
        ClientRequestStatusChanged e => e.Country,
        ManagerRequestStatusChanged e => e.Request.Country,
        NewTrialClient e => e.Draft.Country,
        _ => null,
    };

    /// <summary>How many times a delivery waits in-process for its client's profile, or its contract, before the event is parked.</summary>
    public const int ContractWaitRetries = 4;

    /// <summary>
    /// Processes one delivery of <paramref name="evt"/>, alike for every event type and every way
    /// in (the bus's consumers through <see cref="EventDelivery"/>, and the simulation). Before its
    /// <see cref="ContractWaitRetries"/>th <paramref name="retryAttempt"/>, an event whose client
    /// profile (or contract) is not known yet throws, to be retried; from then on it is parked. The
    /// notices it created that are due now are in the result, committed, for the caller to hand to
    /// the send path.
    /// </summary>
    public async Task<EventResult> ProcessAsync(IEvent evt, int retryAttempt, CancellationToken cancellationToken)
    {
        Receive(evt, retryAttempt);
        return await ProcessReceivedAsync(evt, retryAttempt, cancellationToken);
    }

    /// <summary>Counts a delivery's first attempt and refuses an invalid event (<see cref="InvalidEventException"/>, not retried).</summary>
    internal void Receive(IEvent evt, int retryAttempt) => Receive(evt, retryAttempt, metrics, time);

    /// <summary><see cref="Receive(IEvent, int)"/> without a processor, for a delivery that may never need one (<see cref="EventDelivery"/>).</summary>
    internal static void Receive(IEvent evt, int retryAttempt, NotifierMetrics metrics, TimeProvider time)
    {
        if (retryAttempt == 0)
        {
            metrics.EventReceived(evt.GetType().Name);
        }

        EventValidator.ThrowIfInvalid(evt, time.GetUtcNow());
    }

    /// <summary><see cref="ProcessAsync"/> for an event <see cref="Receive(IEvent, int)"/> took already: alone, in its own transaction.</summary>
    internal async Task<EventResult> ProcessReceivedAsync(IEvent evt, int retryAttempt, CancellationToken cancellationToken)
    {
        var type = EventTypes.Of(evt);

        // No read to find a duplicate first: the insert below is the check, in the same round trip
        // as the event's storing (a repeat is rare; every event would pay for the read).
        // Data gathering happens before the transaction: the HTTP directory may be slow.
        var data = await GatherAsync(evt, type, cancellationToken);
        if (Missing(evt, type, data) is { } missing && retryAttempt < ContractWaitRetries)
        {
            var what = missing.Data == MissingData.Contract ? "contract" : "client profile";
            LogWaiting(evt.EventId, evt.GetType().Name, what, retryAttempt + 1, ContractWaitRetries);
            metrics.EventWaited(evt.GetType().Name, missing.Data == MissingData.Contract ? "contract" : "client");
            throw missing.Data == MissingData.Contract ? new ContractNotYetKnownException(missing.Id) : new ClientNotYetKnownException(missing.Id);
        }

        return await RunAsync(evt, type, data, parked: null, cancellationToken);
    }

    /// <summary>
    /// Runs a parked event again (<see cref="ParkedEvents"/>): if its data has come it is processed as
    /// any event, its row updated; if not, it stays as it is (only <see cref="EventRecord.RetriedAt"/>
    /// moves). <paramref name="inTransaction"/> is called with the row about to be saved as processed,
    /// in the same transaction (an operator's audit record). The row is read again under the
    /// client's lock, so of two instances running the same parked event one processes it and the
    /// other finds it processed (<see cref="EventOutcome.Duplicate"/>).
    /// </summary>
    internal async Task<EventResult> ResumeAsync(IEvent evt, Action<EventRecord>? inTransaction, CancellationToken cancellationToken)
    {
        EventValidator.ThrowIfInvalid(evt, time.GetUtcNow());
        var type = EventTypes.Of(evt);
        var data = await GatherAsync(evt, type, cancellationToken);
        return await RunAsync(evt, type, data, new Resume(inTransaction), cancellationToken);
    }

    /// <summary>How a parked event is run again: see <see cref="ResumeAsync"/>.</summary>
    private sealed record Resume(Action<EventRecord>? InTransaction);

    private async Task<RuleData> GatherAsync(IEvent evt, EventType type, CancellationToken cancellationToken)
    {
        var (client, contract) = await directory.FindClientAndContractAsync(evt.ClientId, type.ContractAwaited(evt), cancellationToken);
        return new RuleData(client, type.ContractStated(evt) ?? contract);
    }

    /// <summary>The data the event's letters need and the directory does not know yet, if any.</summary>
    private static (MissingData Data, string Id)? Missing(IEvent evt, EventType type, RuleData data) =>
        type.ContractAwaited(evt) is { } contractId && data.Contract is null ? (MissingData.Contract, contractId)
        : type.ClientAwaited(evt) && data.Client is null ? (MissingData.Client, evt.ClientId!)
        : null;

    private async Task<EventResult> RunAsync(IEvent evt, EventType type, RuleData data, Resume? parked, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ScheduleResult result;
        EventRecord record;
        var notes = new List<EventNote>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // One client's events are applied one at a time, whatever queue or instance they come
            // from, so a cancellation and the letter it cancels always see each other — and an event
            // parking itself and the event bringing its data see each other too.
            await ClientLock.AcquireAsync(db, type.LockKey(evt), cancellationToken);
            if (parked is not null)
            {
                var stored = await db.Events.FirstOrDefaultAsync(e => e.EventId == evt.EventId, cancellationToken);
                if (stored is not { Status: EventStatus.Waiting or EventStatus.Expired })
                {
                    // Run meanwhile by another instance, or discarded.
                    await transaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    return EventResult.Duplicate;
                }

                record = stored;
            }
            else
            {
                record = NewRecord(evt, now);
            }

            // Data that was missing before the lock may have been committed just now by the event
            // that brings it: read again (rare, so only then).
            if (Missing(evt, type, data) is not null)
            {
                data = await GatherAsync(evt, type, cancellationToken);
            }

            if (Missing(evt, type, data) is { } missing)
            {
                return await ParkAsync(evt, record, missing, parked is not null, now, transaction, cancellationToken);
            }

            try
            {
                result = await ApplyAsync(evt, type, data, record, all: null, now, isNew: parked is null, notes, cancellationToken);
                if (parked is not null)
                {
                    (record.Status, record.Missing, record.MissingId, record.ParkedPayload, record.RetriedAt) =
                        (EventStatus.Processed, null, null, null, now);
                    record.Outcome = $"{result.Summary} (after waiting)";
                    parked.InTransaction?.Invoke(record);
                }

                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (parked is null && ex.IsUniqueViolationOn(EventRecordConfiguration.Table))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return await SeenBeforeAsync(evt, cancellationToken);
            }

            var releases = type.FeedsDirectory && evt.ClientId is { } clientId
                && await db.Events.AnyAsync(e => e.Status == EventStatus.Waiting && e.ClientId == clientId, cancellationToken)
                ? clientId
                : null;
            await transaction.CommitAsync(cancellationToken);
            LogProcessed(evt.EventId, record.Type, record.Outcome ?? result.Summary);
            metrics.EventProcessed(record.Type, parked is null ? "processed" : "processed_after_waiting");
            return new EventResult(EventOutcome.Processed, result.Created, record.Outcome) { Notes = notes, ReleasesWaitingOf = releases };
        }
    }

    /// <summary>
    /// Processes events on their first delivery (valid: <see cref="Receive(IEvent, int)"/> took them) together: in
    /// one transaction, under all their clients' locks, taken at once in one order, with the settings
    /// read once; each event's rules evaluated as alone, its rows saved with the others' in one save
    /// (an event after another of its client's in the batch first saves what came before, and reads
    /// its data again, so it sees them as it would alone), and one commit. The result of each event,
    /// in their order, or null for one whose client profile or contract is not known yet: nothing of
    /// it is stored, and the caller processes it alone (to wait for the data, then park it). Throws,
    /// having stored nothing, when the batch cannot be processed together: an event seen before (its
    /// key), two of one id, a deadlock, any fault of one event — the caller then processes each event
    /// alone, where a repeat is found and a bad event faults on its own.
    /// </summary>
    internal async Task<IReadOnlyList<EventResult?>> ProcessBatchAsync(IReadOnlyList<IEvent> events, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var types = events.Select(EventTypes.Of).ToList();
        var keys = events.Select((evt, i) => types[i].LockKey(evt)).ToList();

        // Data gathering happens before the transaction, as for one event (the HTTP directory may be
        // slow): the batch's clients and contracts in one read of each.
        var contractIds = events.Select((evt, i) => types[i].ContractAwaited(evt)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var clientIds = events.Select(evt => evt.ClientId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var found = await directory.FindManyAsync(clientIds, contractIds, cancellationToken);
        var data = events.Select((evt, i) => new RuleData(
                evt.ClientId is { } clientId ? found.Clients.GetValueOrDefault(clientId) : null,
                types[i].ContractStated(evt) ?? (types[i].ContractAwaited(evt) is { } contractId ? found.Contracts.GetValueOrDefault(contractId) : null)))
            .ToArray();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // A save that fails fails the batch, which is then undone and split: EF's savepoint around
        // each save would only cost two round trips.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            return await ApplyBatchAsync(events, types, keys, data, transaction, now, cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }

    /// <summary>The batch's events applied in its transaction, under their clients' locks, and committed.</summary>
    private async Task<IReadOnlyList<EventResult?>> ApplyBatchAsync(
        IReadOnlyList<IEvent> events,
        List<EventType> types,
        List<string> keys,
        RuleData[] data,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var results = new EventResult?[events.Count];
        var done = new List<(int Index, EventRecord Record, ScheduleResult Result, List<EventNote> Notes)>(events.Count);

        // All the batch's locks in one round trip, in one order: two batches sharing clients wait
        // for each other, never in a circle.
        await ClientLock.AcquireAllAsync(db, keys, cancellationToken);
        var all = await settings.GetAllAsync(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // What each event reads alone, read once for the batch: the directory rows the events change,
        // and (when a letter needs them) the dequeue marks of the clients whose locks are held. A
        // frequency cap counts the batch's letters not saved yet as it counts those in the database.
        await localDirectory.PrefetchAsync(events, cancellationToken);
        var batch = new ScheduleBatch(
            events.Where((evt, i) => evt.ClientId is not null && keys[i] == evt.ClientId).Select(evt => evt.ClientId!).Distinct(StringComparer.Ordinal).ToList(),
            events.Min(evt => evt.OccurredAt));
        for (var i = 0; i < events.Count; i++)
        {
            var (evt, type) = (events[i], types[i]);
            if (!seen.Add(keys[i]) || Missing(evt, type, data[i]) is not null)
            {
                // An earlier event of this batch has this event's lock: what it did is saved first,
                // and the data read again, as this event would find them alone. Data missing before
                // the lock may have been committed meanwhile too.
                await db.SaveChangesAsync(cancellationToken);
                data[i] = await GatherAsync(evt, type, cancellationToken);
            }

            if (Missing(evt, type, data[i]) is not null)
            {
                continue;
            }

            var record = NewRecord(evt, now);
            var notes = new List<EventNote>();
            var result = await ApplyAsync(evt, type, data[i], record, all, now, isNew: true, notes, cancellationToken, batch);
            done.Add((i, record, result, notes));
        }

        // The rows of every event of the batch in one save, and one commit; a repeat fails the save
        // on the events' primary key.
        await db.SaveChangesAsync(cancellationToken);
        var feeding = done.Where(d => types[d.Index].FeedsDirectory && events[d.Index].ClientId is not null)
            .Select(d => events[d.Index].ClientId!).Distinct(StringComparer.Ordinal).ToList();
        var waiting = feeding.Count == 0 ? []
            : (await db.Events.Where(e => e.Status == EventStatus.Waiting && e.ClientId != null && feeding.Contains(e.ClientId))
                .Select(e => e.ClientId!).Distinct().ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        await transaction.CommitAsync(cancellationToken);

        foreach (var (index, record, result, notes) in done)
        {
            var evt = events[index];
            LogProcessed(evt.EventId, record.Type, record.Outcome ?? result.Summary);
            metrics.EventProcessed(record.Type, "processed");
            var releases = types[index].FeedsDirectory && evt.ClientId is { } clientId && waiting.Contains(clientId) ? clientId : null;
            results[index] = new EventResult(EventOutcome.Processed, result.Created, record.Outcome) { Notes = notes, ReleasesWaitingOf = releases };
        }

        return results;
    }

    private static EventRecord NewRecord(IEvent evt, DateTimeOffset now) => new()
    {
        EventId = evt.EventId,
        Type = evt.GetType().Name,
        ClientId = evt.ClientId,
        OccurredAt = evt.OccurredAt,
        ReceivedAt = now,
        Payload = EventSecrets.Mask(EventEnvelopeReader.Write(evt)).ToJsonString(),
    };

    /// <summary>
    /// What an event does once its lock is held and its data known, in the caller's transaction, not
    /// saved: the local directory updated, the data only readable under the lock read, the rules
    /// evaluated with the settings (<paramref name="all"/>, or read now), the new event's row added and
    /// the scheduler's steps taken; the record's outcome set.
    /// </summary>
    private async Task<ScheduleResult> ApplyAsync(
        IEvent evt, EventType type, RuleData data, EventRecord record, IReadOnlyDictionary<string, EffectiveNoticeSettings>? all,
        DateTimeOffset now, bool isNew, List<EventNote> notes, CancellationToken cancellationToken, ScheduleBatch? batch = null)
    {
        await localDirectory.ApplyAsync(evt, now, cancellationToken);

        // Events of types that meet (a manager's request and its contract's activation) see
        // each other here, under the lock, whichever came first: the later one finds the
        // earlier one's data committed.
        data = await type.GatherUnderLockAsync(evt, data, directory, cancellationToken);
        var settingsOf = all ?? await settings.GetAllAsync(cancellationToken);
        var client = data.Client;

        // The moment each kind's delay gave, before its window: its letters keep it, so a calendar
        // edit can plan them again (Calendars/CalendarReplanner).
        var planned = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var rules = new RuleContext(now, client, data.Contract, kind => settingsOf[kind].Offset)
        {
            OccurredAt = evt.OccurredAt,
            Plan = (kind, from, delay) =>
            {
                var plan = sendTimes.Plan(now, from, delay, settingsOf[kind].Window, sendTimes.For(catalog.Find(kind)?.Audience ?? Audience.Client, client, EventCountry(evt)));
                planned[kind] = plan.Planned;
                return plan.Due;
            },
            ManagerRequest = data.ManagerRequest,
            StaffEmailDomain = audience.Value.StaffEmailDomain,
            Display = (table, code) => display.Of(table, code),
        };
        var actions = catalog.Evaluate(evt, rules);

        // The primary key on event_id is the idempotency guard. The event is stored in the same
        // save as the rest (the first one, when a notice with a unique key is saved on its own):
        // of two deliveries of one event, the second waits for the first's client lock, then
        // fails on the key and rolls back everything it did.
        if (isNew)
        {
            db.Events.Add(record);
        }

        var result = await scheduler.ApplyAsync(evt, actions, settingsOf, now, dispatchOptions.Value.RequeueAfter, cancellationToken, batch);
        foreach (var notice in result.Created)
        {
            notice.PlannedAt = planned.TryGetValue(notice.Kind, out var at) ? at : null;

            // A client letter remembers the country whose calendar planned it (as SendTimes.For chose it).
            if (notice.Country is null && (catalog.Find(notice.Kind)?.Audience ?? Audience.Client) == Audience.Client
                && (client?.Country ?? EventCountry(evt)) is { Length: > 0 and <= 8 } country)
            {
                notice.Country = country;
            }
        }

        if (result.AlreadySent.Count > 0)
        {
            notes.Add(new EventNote.AlreadySent(result.AlreadySent));
        }

        record.Outcome = result.Summary;
        return result;
    }

    /// <summary>
    /// The event's data is not known yet: a new event is stored waiting for it, its secrets kept to
    /// run it later; a parked one stays as it was, tried once more.
    /// </summary>
    private async Task<EventResult> ParkAsync(
        IEvent evt, EventRecord record, (MissingData Data, string Id) missing, bool resumed, DateTimeOffset now,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var what = missing.Data == MissingData.Contract ? $"contract {missing.Id}" : $"client profile {missing.Id}";
        if (resumed)
        {
            record.RetriedAt = now;
        }
        else
        {
            record.Status = EventStatus.Waiting;
            record.Missing = missing.Data;
            record.MissingId = missing.Id;
            record.ParkedPayload = EventEnvelopeReader.Write(evt).ToJsonString();
            record.Outcome = $"waiting for {what}";
            db.Events.Add(record);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (!resumed && ex.IsUniqueViolationOn(EventRecordConfiguration.Table))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await SeenBeforeAsync(evt, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (!resumed)
        {
            LogParked(evt.EventId, record.Type, what);
            metrics.EventProcessed(record.Type, "parked");
        }

        return new EventResult(EventOutcome.Parked, [], record.Outcome) { Notes = [new EventNote.Waiting(missing.Data, missing.Id)] };
    }

    /// <summary>
    /// An event whose id is stored already: another event under the same id is a conflict, told and
    /// refused (the stored body is compared, secrets aside); a repeat of a parked (waiting or
    /// expired) event runs it again, with the secrets this delivery carries; any other repeat does
    /// nothing.
    /// </summary>
    private async Task<EventResult> SeenBeforeAsync(IEvent evt, CancellationToken cancellationToken)
    {
        var type = evt.GetType().Name;
        var stored = await db.Events.AsNoTracking().Where(e => e.EventId == evt.EventId).Select(e => new { e.Payload, e.Status }).FirstOrDefaultAsync(cancellationToken);
        if (stored is not null && EventConflict.Compare(stored.Payload, evt) is { Count: > 0 } differences)
        {
            var conflict = new EventConflict(evt.EventId, type, differences);
            EventConflictLog.Report(logger, metrics, conflict, "bus");
            return new EventResult(EventOutcome.Conflict, [], null) { Conflict = conflict };
        }

        if (stored is { Status: EventStatus.Waiting or EventStatus.Expired })
        {
            LogResent(evt.EventId, type, stored.Status);
            return await ResumeAsync(evt, inTransaction: null, cancellationToken);
        }

        LogDuplicate(evt.EventId, type);
        metrics.EventProcessed(type, "duplicate");
        return EventResult.Duplicate;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) waits for its {Missing}, not known yet (wait {Wait} of {Waits})")]
    private partial void LogWaiting(string eventId, string eventType, string missing, int wait, int waits);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} ({EventType}) parked: its {Missing} is not known yet; it runs when that arrives")]
    private partial void LogParked(string eventId, string eventType, string missing);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) was sent again while {Status}: run again")]
    private partial void LogResent(string eventId, string eventType, EventStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) was seen before; nothing done")]
    private partial void LogDuplicate(string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) processed: {Outcome}")]
    private partial void LogProcessed(string eventId, string eventType, string outcome);
}
