using CorpNotifier.Contracts;
using CorpNotifier.Dispatch;
using MassTransit;

namespace CorpNotifier.Intake;

/// <summary>
/// What every event consumer on the bus runs for a delivery: the processing
/// (<see cref="EventProcessor"/>, which reads the delivery's retry attempt to decide whether data
/// not known yet is still worth waiting for), then the fast path: the notices due now, committed,
/// are handed to this instance's send queue. An event whose id names another event faults
/// (<see cref="EventConflictException"/>, not retried) to the queue's <c>_error</c>.
/// </summary>
public sealed class EventDelivery(EventProcessor processor, LocalDispatcher dispatcher, ILogger<EventDelivery> logger)
{
    public async Task<EventOutcome> ProcessAsync(IEvent evt, ConsumeContext context)
    {
        var result = await processor.ProcessAsync(evt, context.GetRetryAttempt(), context.CancellationToken);
        if (result.Conflict is { } conflict)
        {
            throw new EventConflictException(conflict);
        }

        await FastPath.DispatchAsync(dispatcher, result.Created, logger, context.CancellationToken);
        return result.Outcome;
    }
}
