using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>What running a client's parked events did: the notices they made (committed) and what is worth telling.</summary>
public sealed record ParkedRun(IReadOnlyList<Notice> Created, IReadOnlyList<EventNote> Notes, int Ran);

/// <summary>
/// Events parked because their client's profile or contract was not known yet
/// (<see cref="EventStatus.Waiting"/>): run again when the data arrives (the event that brings it
/// releases its client's waiting events, <see cref="RunWaitingAsync"/>), tried again periodically
/// (<see cref="RetryDueAsync"/>, the only way when the directory is another service's), marked
/// <see cref="EventStatus.Expired"/> after <c>Intake:MaxWait</c> (<see cref="ExpireAsync"/>), and
/// re-run or discarded by an operator (<see cref="RerunAsync"/>, <see cref="DiscardAsync"/>). Each
/// run takes the client's lock and reads the row again under it, so two instances never process
/// one parked event twice.
/// </summary>
public sealed partial class ParkedEvents(
    NoticesDbContext db,
    EventProcessor processor,
    TimeProvider time,
    IOptions<IntakeOptions> options,
    NotifierMetrics metrics,
    ILogger<ParkedEvents> logger)
{
    /// <summary>How many of a client's waiting events one release runs, and how many clients one periodic retry visits.</summary>
    public const int Batch = 200;

    /// <summary>
    /// Runs the client's waiting events, in the order they occurred. Passes repeat while one makes
    /// progress: an event run in a pass may bring what an earlier one waits for (a contract whose
    /// own event waited for the profile).
    /// </summary>
    public async Task<ParkedRun> RunWaitingAsync(string clientId, CancellationToken cancellationToken)
    {
        var created = new List<Notice>();
        var notes = new List<EventNote>();
        var ran = 0;
        for (var pass = 0; pass < 5; pass++)
        {
            var waiting = await db.Events.AsNoTracking()
                .Where(e => e.Status == EventStatus.Waiting && e.ClientId == clientId)
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.ReceivedAt)
                .Select(e => e.EventId)
                .Take(Batch)
                .ToListAsync(cancellationToken);
            var progressed = false;
            foreach (var eventId in waiting)
            {
                if (await RerunAsync(eventId, inTransaction: null, cancellationToken) is { Outcome: EventOutcome.Processed } result)
                {
                    progressed = true;
                    ran++;
                    created.AddRange(result.Created);
                    notes.AddRange(result.Notes);
                }
            }

            if (!progressed)
            {
                break;
            }
        }

        return new ParkedRun(created, notes, ran);
    }

    /// <summary>
    /// Runs one parked (waiting or expired) event again. <c>null</c> when there is no such parked
    /// event (unknown id, processed or discarded); otherwise what processing did:
    /// <see cref="EventOutcome.Processed"/> (its data has come), <see cref="EventOutcome.Parked"/>
    /// (still missing: nothing changed but the time of the try), <see cref="EventOutcome.Duplicate"/>
    /// (processed meanwhile by another instance). <paramref name="inTransaction"/> sees the row as it
    /// is saved processed, in the same transaction.
    /// </summary>
    public async Task<EventResult?> RerunAsync(string eventId, Action<EventRecord>? inTransaction, CancellationToken cancellationToken)
    {
        var parked = await db.Events.AsNoTracking()
            .Where(e => e.EventId == eventId && (e.Status == EventStatus.Waiting || e.Status == EventStatus.Expired))
            .Select(e => new { e.Type, e.ParkedPayload })
            .FirstOrDefaultAsync(cancellationToken);
        if (parked?.ParkedPayload is null || Read(parked.ParkedPayload) is not { } evt)
        {
            return null;
        }

        var result = await processor.ResumeAsync(evt, inTransaction, cancellationToken);
        if (result.Outcome == EventOutcome.Processed)
        {
            LogRan(eventId, parked.Type, result.Summary);
            return result with { Notes = [new EventNote.Resumed(eventId, parked.Type), .. result.Notes] };
        }

        return result;
    }

    /// <summary>
    /// An operator's decision that a parked event is not to be processed; <c>null</c> when there is
    /// no such parked event. <paramref name="inTransaction"/> sees the row as it is saved.
    /// </summary>
    public async Task<EventRecord?> DiscardAsync(string eventId, Action<EventRecord>? inTransaction, CancellationToken cancellationToken)
    {
        var payload = await db.Events.AsNoTracking()
            .Where(e => e.EventId == eventId && (e.Status == EventStatus.Waiting || e.Status == EventStatus.Expired))
            .Select(e => e.ParkedPayload)
            .FirstOrDefaultAsync(cancellationToken);
        if (payload is null || Read(payload) is not { } evt)
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ClientLock.AcquireAsync(db, EventTypes.Of(evt).LockKey(evt), cancellationToken);
        var record = await db.Events.FirstOrDefaultAsync(e => e.EventId == eventId, cancellationToken);
        if (record is not { Status: EventStatus.Waiting or EventStatus.Expired })
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return null;
        }

        record.Status = EventStatus.Discarded;
        record.ParkedPayload = null;
        record.Outcome = $"discarded while {record.Outcome}";
        record.RetriedAt = time.GetUtcNow();
        inTransaction?.Invoke(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.EventProcessed(record.Type, "discarded");
        return record;
    }

    /// <summary>Marks the events that waited <c>Intake:MaxWait</c> expired; returns how many.</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deadline = now - options.Value.MaxWait;
        var due = await db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Waiting && e.ReceivedAt <= deadline)
            .OrderBy(e => e.ReceivedAt)
            .Select(e => new { e.EventId, e.Type, e.ClientId })
            .Take(Batch)
            .ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var e in due)
        {
            // Still waiting at the moment of the write: one that ran meanwhile (another instance,
            // its data having come) stays processed.
            var changed = await db.Events
                .Where(r => r.EventId == e.EventId && r.Status == EventStatus.Waiting)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(r => r.Status, EventStatus.Expired)
                        .SetProperty(r => r.Outcome, r => "expired " + r.Outcome)
                        .SetProperty(r => r.RetriedAt, now),
                    cancellationToken);
            if (changed == 1)
            {
                expired++;
                LogExpired(e.EventId, e.Type, e.ClientId, options.Value.MaxWait);
                metrics.EventProcessed(e.Type, "expired");
            }
        }

        return expired;
    }

    /// <summary>
    /// Tries again the waiting events not tried for <c>Intake:ParkedRetryInterval</c>, a client at a
    /// time (all of a client's waiting events, in their order).
    /// </summary>
    public async Task<ParkedRun> RetryDueAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.ParkedRetryInterval;
        var clients = await db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Waiting && e.ClientId != null && (e.RetriedAt ?? e.ReceivedAt) <= before)
            .Select(e => e.ClientId!)
            .Distinct()
            .OrderBy(c => c)
            .Take(Batch)
            .ToListAsync(cancellationToken);
        var created = new List<Notice>();
        var notes = new List<EventNote>();
        var ran = 0;
        foreach (var clientId in clients)
        {
            var run = await RunWaitingAsync(clientId, cancellationToken);
            created.AddRange(run.Created);
            notes.AddRange(run.Notes);
            ran += run.Ran;
        }

        // A manager's request that belongs to no client yet is parked under no client: tried on its own.
        var clientless = await db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Waiting && e.ClientId == null && (e.RetriedAt ?? e.ReceivedAt) <= before)
            .OrderBy(e => e.OccurredAt)
            .Select(e => e.EventId)
            .Take(Batch)
            .ToListAsync(cancellationToken);
        foreach (var eventId in clientless)
        {
            if (await RerunAsync(eventId, inTransaction: null, cancellationToken) is { Outcome: EventOutcome.Processed } result)
            {
                created.AddRange(result.Created);
                ran++;
            }
        }

        return new ParkedRun(created, notes, ran);
    }

    /// <summary>The parked event as it came; <c>null</c> (logged) if it no longer reads as an event of a type the service takes.</summary>
    private IEvent? Read(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var read = EventEnvelopeReader.Read(document.RootElement, now: null);
        if (read.Event is null)
        {
            LogUnreadable(document.RootElement.TryGetProperty("eventId", out var id) ? id.ToString() : "?", string.Join("; ", read.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }

        return read.Event;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Parked event {EventId} ({EventType}) ran, its data having come: {Outcome}")]
    private partial void LogRan(string eventId, string eventType, string? outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parked event {EventId} ({EventType}) of client {ClientId} expired: its data did not come within {MaxWait}")]
    private partial void LogExpired(string eventId, string eventType, string? clientId, TimeSpan maxWait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Parked event {EventId} no longer reads as an event: {Errors}")]
    private partial void LogUnreadable(string eventId, string errors);
}
