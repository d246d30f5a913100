using CorpNotifier.Contracts;
using CorpNotifier.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>The consumer of an event type's queue (one per row of <see cref="EventTypes.All"/>): the processing every event gets.</summary>
public sealed class EventConsumer<TEvent>(EventDelivery delivery) : IConsumer<TEvent>
    where TEvent : class, IEvent
{
    public Task Consume(ConsumeContext<TEvent> context) => delivery.ProcessAsync(context.Message, context);
}

/// <summary>The endpoint of an event type's queue: <c>{Messaging:EndpointPrefix}-{type in kebab case}</c> (<see cref="EventType.Queue"/>).</summary>
public sealed class EventConsumerDefinition<TEvent> : EventEndpointDefinition<EventConsumer<TEvent>>
    where TEvent : class, IEvent
{
    public EventConsumerDefinition(IOptions<MessagingOptions> options)
        : base(options)
    {
        EndpointName = $"{options.Value.EndpointPrefix}-{EventTypes.Of(typeof(TEvent)).Queue}";
    }
}

/// <summary>
/// Endpoint settings shared by the event consumers: bounded concurrency (the batch size, or
/// <c>Messaging:EventConcurrency</c> if larger) and a short in-process
/// retry for transient faults (a deadlock, a dropped connection). An invalid event, and one whose
/// id names another event, is not retried: it faults at once to the endpoint's <c>_error</c>
/// queue with its reason.
/// No delayed redelivery: Debian's RabbitMQ has no delayed-message exchange (docs/adr/0003).
/// </summary>
public abstract class EventEndpointDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected EventEndpointDefinition(IOptions<MessagingOptions> options)
    {
        // Enough messages at once for a batch to fill (EventBatches): a consumer waiting for its
        // batch's commit holds its message.
        ConcurrentMessageLimit = options.Value.EventMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // A database outage is waited out by the gate, however long; the retry covers the rest
        // (a deadlock, a directory that answers late, a profile still on its way).
        endpointConfigurator.UseDatabaseGate(context);
        var messaging = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidEventException>();
            retry.Ignore<EventConflictException>();
            messaging.ApplyRetry(retry);
        });
    }
}

public static class EventConsumerRegistration
{
    /// <summary>The service's consumers: one per event type of <see cref="EventTypes.All"/>, and the raw JSON endpoint's.</summary>
    public static IBusRegistrationConfigurator AddEventConsumers(this IBusRegistrationConfigurator bus)
    {
        foreach (var type in EventTypes.All)
        {
            bus.AddConsumer(type.ConsumerType, type.DefinitionType);
        }

        bus.AddConsumer<RawEventConsumer, RawEventConsumerDefinition>();
        return bus;
    }
}
