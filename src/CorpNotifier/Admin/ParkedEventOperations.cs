using System.Data.Common;
using System.Text.Json;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Admin;

/// <summary>Why an operator action on a parked event was refused in the event's state.</summary>
public enum EventRefusal
{
    /// <summary>Re-run: the client profile or contract it waits for is still not known; it keeps its state.</summary>
    StillMissing,

    /// <summary>Re-run or discard: the event is not parked (processed, discarded, or run meanwhile).</summary>
    NotParked,
}

/// <summary>The outcome of an operator action on a parked event: the event as it is after it, or why not.</summary>
public abstract record EventOperationResult
{
    /// <summary>Done: the event as it is now, and the letters a re-run created.</summary>
    public sealed record Done(EventDetailView Event, IReadOnlyList<NoticeView> Created) : EventOperationResult;

    /// <summary>The actor's role may not take this action.</summary>
    public sealed record Forbidden(string Message) : EventOperationResult;

    public sealed record NotFound(string Message) : EventOperationResult;

    /// <summary>Not possible in the event's state: <see cref="Why"/> (and <see cref="Missing"/>, <see cref="MissingId"/>) for the console's words, <see cref="Message"/> for the API's.</summary>
    public sealed record Conflict(EventRefusal Why, string Message, MissingData? Missing = null, string? MissingId = null) : EventOperationResult;

    /// <summary>The change and its audit record could not be committed together; nothing changed.</summary>
    public sealed record NotSaved(string Message) : EventOperationResult;
}

/// <summary>
/// What operators do to parked events (waiting for a client profile or a contract, or expired
/// waiting): re-run one — its data may have come since — or discard it, for the admin API and the
/// console alike. Operators and admins only; each is audited in the same transaction as the
/// change (target type <c>event</c>); a re-run whose data is still missing changes nothing and is
/// not audited; the letters a re-run makes that are due now go to the send path after the commit.
/// </summary>
public sealed partial class ParkedEventOperations(
    NoticesDbContext db,
    ParkedEvents parked,
    ParkedEventQueries queries,
    TimeProvider time,
    LocalDispatcher dispatcher,
    IOptions<IntakeOptions> intake,
    ILogger<ParkedEventOperations> logger)
{
    public const string OperatorsOnly = "Only operators and admins may re-run or discard events.";

    public static string NoSuchEvent(string eventId) => $"Event '{eventId}' was never received.";

    public static string NotParked(string eventId, EventStatus status) =>
        $"Event '{eventId}' is {WireName.Of(status)}; only a waiting or expired event can be re-run or discarded.";

    /// <summary>The data is still missing: e.g. "contract c-7 is still not known: the event keeps waiting".</summary>
    public static string StillMissing(MissingData missing, string missingId, EventStatus status) =>
        $"{(missing == MissingData.Contract ? "contract" : "client profile")} {missingId} is still not known: "
        + (status == EventStatus.Expired ? "the event stays expired" : "the event keeps waiting");

    /// <summary>
    /// Runs a parked event again. Processed when its data has come (audited, its letters due now
    /// sent, and the client's waiting events it brought data for run next); refused, unchanged
    /// and unaudited when the data is still missing.
    /// </summary>
    public async Task<EventOperationResult> RerunAsync(string eventId, Actor actor, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(eventId, actor, AuditActions.RerunEvent, cancellationToken) is { } refused)
        {
            return refused;
        }

        var before = await db.Events.AsNoTracking().FirstAsync(e => e.EventId == eventId, cancellationToken);
        EventResult? result;
        try
        {
            result = await parked.RerunAsync(eventId, record => db.Audit.Add(Audit(actor, AuditActions.RerunEvent, before, record)), cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(ex))
        {
            db.ChangeTracker.Clear();
            LogNotSaved(ex, AuditActions.RerunEvent, actor.Name);
            return new EventOperationResult.NotSaved(NoticeOperations.NotSaved);
        }

        db.ChangeTracker.Clear();
        switch (result)
        {
            case { Outcome: EventOutcome.Processed }:
                break;
            case { Outcome: EventOutcome.Parked }:
                var missing = before.Missing ?? MissingData.Contract;
                var missingId = before.MissingId ?? "?";
                if (result.Notes.OfType<EventNote.Waiting>().FirstOrDefault() is { } waiting)
                {
                    (missing, missingId) = (waiting.Missing, waiting.MissingId);
                }

                return new EventOperationResult.Conflict(EventRefusal.StillMissing, StillMissing(missing, missingId, before.Status), missing, missingId);
            default:
                // Run meanwhile by a release, the periodic retry or another operator, or discarded.
                return await NotParkedAsync(eventId, cancellationToken);
        }

        await FastPath.DispatchAsync(dispatcher, result.Created, logger, cancellationToken);
        if (result.ReleasesWaitingOf is { } clientId)
        {
            // The event brought data its client's other waiting events need: run them now, as its
            // delivery would have; a failure leaves them to the periodic retry.
            try
            {
                var run = await parked.RunWaitingAsync(clientId, cancellationToken);
                await FastPath.DispatchAsync(dispatcher, run.Created, logger, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReleaseFailed(ex, eventId, clientId);
            }
        }

        var after = await queries.EventAsync(eventId, cancellationToken);
        return new EventOperationResult.Done(after!, [.. result.Created.Select(NoticeView.From)]);
    }

    /// <summary>Decides a parked event is not to be processed: it ends <c>discarded</c>, audited.</summary>
    public async Task<EventOperationResult> DiscardAsync(string eventId, Actor actor, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(eventId, actor, AuditActions.DiscardEvent, cancellationToken) is { } refused)
        {
            return refused;
        }

        var before = await db.Events.AsNoTracking().FirstAsync(e => e.EventId == eventId, cancellationToken);
        EventRecord? discarded;
        try
        {
            discarded = await parked.DiscardAsync(eventId, record => db.Audit.Add(Audit(actor, AuditActions.DiscardEvent, before, record)), cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(ex))
        {
            db.ChangeTracker.Clear();
            LogNotSaved(ex, AuditActions.DiscardEvent, actor.Name);
            return new EventOperationResult.NotSaved(NoticeOperations.NotSaved);
        }

        db.ChangeTracker.Clear();
        if (discarded is null)
        {
            return await NotParkedAsync(eventId, cancellationToken);
        }

        var after = await queries.EventAsync(eventId, cancellationToken);
        return new EventOperationResult.Done(after!, []);
    }

    /// <summary>Who may not act, an event never received, or one that is not parked: refused before anything is tried.</summary>
    private async Task<EventOperationResult?> RefusedAsync(string eventId, Actor actor, string action, CancellationToken cancellationToken)
    {
        if (!actor.MayOperate)
        {
            LogRefused(action, actor.Name, actor.Role);
            return new EventOperationResult.Forbidden(OperatorsOnly);
        }

        var status = await db.Events.AsNoTracking().Where(e => e.EventId == eventId).Select(e => (EventStatus?)e.Status).FirstOrDefaultAsync(cancellationToken);
        return status switch
        {
            null => new EventOperationResult.NotFound(NoSuchEvent(eventId)),
            EventStatus.Waiting or EventStatus.Expired => null,
            { } other => new EventOperationResult.Conflict(EventRefusal.NotParked, NotParked(eventId, other)),
        };
    }

    private async Task<EventOperationResult> NotParkedAsync(string eventId, CancellationToken cancellationToken)
    {
        var status = await db.Events.AsNoTracking().Where(e => e.EventId == eventId).Select(e => e.Status).FirstAsync(cancellationToken);
        return new EventOperationResult.Conflict(EventRefusal.NotParked, NotParked(eventId, status));
    }

    private AuditRecord Audit(Actor actor, string action, EventRecord before, EventRecord after) => new()
    {
        At = time.GetUtcNow(),
        Actor = actor.Name,
        Role = actor.Role,
        Action = action,
        TargetType = AuditTargets.Event,
        TargetId = before.EventId,
        Before = JsonSerializer.Serialize(ParkedEventView.From(before, intake.Value.MaxWait), AppJson.Options),
        After = JsonSerializer.Serialize(ParkedEventView.From(after, intake.Value.MaxWait), AppJson.Options),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {Action} refused to {Actor} ({Role})")]
    private partial void LogRefused(string action, string actor, string role);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {Action} by {Actor} was not saved: the change and its audit record were rolled back")]
    private partial void LogNotSaved(Exception exception, string action, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId}, re-run by an operator, brought data for client {ClientId}, whose parked events could not be run now; the periodic retry runs them")]
    private partial void LogReleaseFailed(Exception exception, string eventId, string clientId);
}
