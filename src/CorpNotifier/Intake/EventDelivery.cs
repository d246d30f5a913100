using CorpNotifier.Contracts;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using MassTransit;

namespace CorpNotifier.Intake;

/// <summary>
/// What every event consumer on the bus runs for a delivery: the processing, in a batch with the
/// events other consumers hold (<see cref="EventBatches"/>) or alone (<see cref="EventProcessor"/>,
/// which reads the delivery's retry attempt to decide whether data not known yet is still worth
/// waiting for in-process, or the event is parked), then the fast
/// path: the notices due now, committed, are handed to this instance's send queue. An event that
/// brought data its client's parked events wait for runs them next, in their order. An event
/// whose id names another event faults (<see cref="EventConflictException"/>, not retried) to the
/// queue's <c>_error</c>.
/// The processor and the parked events, and the unit of work under them, are built only when the
/// delivery needs them (<see cref="Lazy{T}"/>, registered by <see cref="IntakeServiceCollectionExtensions.AddIntake"/>):
/// a first delivery that its batch takes is processed in the batch's own scope.
/// </summary>
public sealed partial class EventDelivery(
    Lazy<EventProcessor> processor,
    EventBatches batches,
    Lazy<ParkedEvents> parked,
    LocalDispatcher dispatcher,
    NotifierMetrics metrics,
    TimeProvider time,
    ILogger<EventDelivery> logger)
{
    public async Task<EventOutcome> ProcessAsync(IEvent evt, ConsumeContext context)
    {
        // A first delivery goes into the next batch (EventBatches); a retry, and an event its batch
        // could not take, are processed alone, where a bad one faults on its own message.
        var attempt = context.GetRetryAttempt();
        EventProcessor.Receive(evt, attempt, metrics, time);
        var result = (attempt == 0 ? await batches.TryProcessAsync(evt, context.CancellationToken) : null)
            ?? await processor.Value.ProcessReceivedAsync(evt, attempt, context.CancellationToken);
        if (result.Conflict is { } conflict)
        {
            throw new EventConflictException(conflict);
        }

        await FastPath.DispatchAsync(dispatcher, result.Created, logger, context.CancellationToken);
        if (result.ReleasesWaitingOf is { } clientId)
        {
            // After the commit, outside the delivery's retry: a failure here leaves the events
            // waiting for the periodic retry, and never runs this event again.
            try
            {
                var run = await parked.Value.RunWaitingAsync(clientId, context.CancellationToken);
                await FastPath.DispatchAsync(dispatcher, run.Created, logger, context.CancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReleaseFailed(logger, ex, evt.EventId, clientId);
            }
        }

        return result.Outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} brought data for client {ClientId}, whose parked events could not be run now; the periodic retry runs them")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string eventId, string clientId);
}
