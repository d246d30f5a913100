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
/// queues). Retried in-process for a few seconds; after that the event is processed without
/// contract data, which means no balance notices, and the outcome says so.
/// </summary>
public sealed class ContractNotYetKnownException(string contractId)
    : Exception($"contract {contractId} is not known to the client directory yet")
{
    /// <summary>An expected wait, logged as one line: no stack trace.</summary>
    public override string? StackTrace => null;
}

/// <summary>
/// An event arrived before its client's profile. Retried in-process for a few seconds so that an
/// immediate notice finds its recipients; after that the event is processed anyway.
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

    /// <summary>The event id was seen before, with the same body: nothing was done again.</summary>
    Duplicate,

    /// <summary>The event id was seen before with a different body: nothing was done, and the event is refused (<see cref="EventResult.Conflict"/>).</summary>
    Conflict,
}

/// <summary>Something about how an event was processed that is worth telling (the simulation shows it as a note).</summary>
public abstract record EventNote
{
    /// <summary>The event's contract is not known to the client directory: letters that need it were not made.</summary>
    public sealed record ContractUnknown(string ContractId) : EventNote;

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
}

/// <summary>
/// What every event consumer does: refuse an invalid event, act once per event id, gather the
/// data the rules need, apply the rules' actions in one transaction, then hand immediate
/// notices to the send path.
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
    NotifierMetrics metrics,
    ILogger<EventProcessor> logger)
{
    /// <summary>How many times an event waits for its client's profile, or a balance event for its contract, before it is processed without it.</summary>
    public const int ContractWaitRetries = 4;

    /// <summary>
    /// Processes one delivery of <paramref name="evt"/>, alike for every event type and every way
    /// in (the bus's consumers through <see cref="EventDelivery"/>, and the simulation). Before its
    /// <see cref="ContractWaitRetries"/>th <paramref name="retryAttempt"/>, an event whose client
    /// profile (or a balance event whose contract) is not known yet throws, to be retried; from
    /// then on it is processed as it is. The notices it created that are due now are in the
    /// result, committed, for the caller to hand to the send path.
    /// </summary>
    public async Task<EventResult> ProcessAsync(IEvent evt, int retryAttempt, CancellationToken cancellationToken)
    {
        if (retryAttempt == 0)
        {
            metrics.EventReceived(evt.GetType().Name);
        }

        EventValidator.ThrowIfInvalid(evt, time.GetUtcNow());
        var type = EventTypes.Of(evt);

        // No read to find a duplicate first: the insert below is the check, in the same round trip
        // as the event's storing (a repeat is rare; every event would pay for the read).
        // Data gathering happens before the transaction: the HTTP directory may be slow.
        var (client, contract) = await directory.FindClientAndContractAsync(evt.ClientId, type.ContractAwaited(evt), cancellationToken);
        contract = type.ContractStated(evt) ?? contract;

        if (type.ContractAwaited(evt) is { } unknown && contract is null && retryAttempt < ContractWaitRetries)
        {
            LogWaiting(evt.EventId, evt.GetType().Name, "contract", retryAttempt + 1, ContractWaitRetries);
            metrics.EventWaited(evt.GetType().Name, "contract");
            throw new ContractNotYetKnownException(unknown);
        }

        if (type.ClientAwaited(evt) && client is null && retryAttempt < ContractWaitRetries)
        {
            LogWaiting(evt.EventId, evt.GetType().Name, "client profile", retryAttempt + 1, ContractWaitRetries);
            metrics.EventWaited(evt.GetType().Name, "client");
            throw new ClientNotYetKnownException(evt.ClientId!);
        }

        var now = time.GetUtcNow();
        var record = new EventRecord
        {
            EventId = evt.EventId,
            Type = evt.GetType().Name,
            ClientId = evt.ClientId,
            OccurredAt = evt.OccurredAt,
            ReceivedAt = now,
            Payload = EventSecrets.Mask(EventEnvelopeReader.Write(evt)).ToJsonString(),
        };

        ScheduleResult result;
        var notes = new List<EventNote>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // One client's events are applied one at a time, whatever queue or instance they come
            // from, so a cancellation and the letter it cancels always see each other.
            await ClientLock.AcquireAsync(db, type.LockKey(evt), cancellationToken);
            await localDirectory.ApplyAsync(evt, now, cancellationToken);

            // Events of types that meet (a manager's request and its contract's activation) see
            // each other here, under the lock, whichever came first: the later one finds the
            // earlier one's data committed.
            var data = await type.GatherUnderLockAsync(evt, new RuleData(client, contract), directory, cancellationToken);
            var all = await settings.GetAllAsync(cancellationToken);
            var rules = new RuleContext(now, data.Client, data.Contract, kind => all[kind].Offset)
            {
                OccurredAt = evt.OccurredAt,
                ManagerRequest = data.ManagerRequest,
                StaffEmailDomain = audience.Value.StaffEmailDomain,
                Display = (table, code) => display.Of(table, code),
            };
            var actions = catalog.Evaluate(evt, rules);

            // The primary key on event_id is the idempotency guard. The event is stored in the same
            // save as the rest (the first one, when a notice with a unique key is saved on its own):
            // of two deliveries of one event, the second waits for the first's client lock, then
            // fails on the key and rolls back everything it did.
            db.Events.Add(record);
            try
            {
                result = await scheduler.ApplyAsync(evt, actions, now, dispatchOptions.Value.RequeueAfter, cancellationToken);
                if (type.ContractAwaited(evt) is { } missing && data.Contract is null)
                {
                    notes.Add(new EventNote.ContractUnknown(missing));
                }

                if (result.AlreadySent.Count > 0)
                {
                    notes.Add(new EventNote.AlreadySent(result.AlreadySent));
                }

                record.Outcome = notes.OfType<EventNote.ContractUnknown>().Any() ? $"{result.Summary}; contract unknown" : result.Summary;
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolationOn(EventRecordConfiguration.Table))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return await SeenBeforeAsync(evt, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        LogProcessed(evt.EventId, record.Type, record.Outcome);
        metrics.EventProcessed(record.Type, "processed");
        return new EventResult(EventOutcome.Processed, result.Created, record.Outcome) { Notes = notes };
    }

    /// <summary>
    /// An event whose id is stored already: a repeat of the same event does nothing; another event
    /// under the same id is a conflict, told and refused (the stored body is compared, secrets aside).
    /// </summary>
    private async Task<EventResult> SeenBeforeAsync(IEvent evt, CancellationToken cancellationToken)
    {
        var type = evt.GetType().Name;
        var stored = await db.Events.AsNoTracking().Where(e => e.EventId == evt.EventId).Select(e => e.Payload).FirstOrDefaultAsync(cancellationToken);
        if (stored is not null && EventConflict.Compare(stored, evt) is { Count: > 0 } differences)
        {
            var conflict = new EventConflict(evt.EventId, type, differences);
            EventConflictLog.Report(logger, metrics, conflict, "bus");
            return new EventResult(EventOutcome.Conflict, [], null) { Conflict = conflict };
        }

        LogDuplicate(evt.EventId, type);
        metrics.EventProcessed(type, "duplicate");
        return EventResult.Duplicate;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) waits for its {Missing}, not known yet (wait {Wait} of {Waits})")]
    private partial void LogWaiting(string eventId, string eventType, string missing, int wait, int waits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) was seen before; nothing done")]
    private partial void LogDuplicate(string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) processed: {Outcome}")]
    private partial void LogProcessed(string eventId, string eventType, string outcome);
}
