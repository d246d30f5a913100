using CorpNotifier.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>
/// Endpoint settings shared by the event consumers: bounded concurrency and a short in-process
/// retry for transient faults (a deadlock, a dropped connection). An invalid event is not
/// retried: it faults at once to the endpoint's <c>_error</c> queue with its reason.
/// No delayed redelivery: Debian's RabbitMQ has no delayed-message exchange (docs/adr/0003).
/// </summary>
public abstract class EventConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    /// <summary>In-process attempts after the first; the first few also wait for a contract not yet known.</summary>
    public const int RetryLimit = 10;

    protected EventConsumerDefinition(IOptions<MessagingOptions> options)
    {
        ConcurrentMessageLimit = options.Value.EventConcurrency;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Up to about two and a half minutes in-process: long enough to ride out a database or
        // directory restart without sending a good event to the error queue.
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidEventException>();
            retry.Exponential(RetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(400));
        });
    }
}

public sealed class ContractChangedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<ContractChangedConsumer>(options);

public sealed class BalanceChangedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<BalanceChangedConsumer>(options);

public sealed class OrderCompletedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<OrderCompletedConsumer>(options);

public sealed class ClientProfileChangedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<ClientProfileChangedConsumer>(options);
