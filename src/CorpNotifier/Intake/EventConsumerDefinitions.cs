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
    protected EventConsumerDefinition(IOptions<MessagingOptions> options)
    {
        ConcurrentMessageLimit = options.Value.EventConcurrency;
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
            messaging.ApplyRetry(retry);
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

public sealed class ClientRequestCreatedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<ClientRequestCreatedConsumer>(options);

public sealed class ClientRequestStatusChangedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<ClientRequestStatusChangedConsumer>(options);

public sealed class ManagerRequestStatusChangedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<ManagerRequestStatusChangedConsumer>(options);

public sealed class NewTrialClientConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<NewTrialClientConsumer>(options);

public sealed class DuplicateTrialClientConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<DuplicateTrialClientConsumer>(options);

public sealed class ContractSettingsChangedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<ContractSettingsChangedConsumer>(options);

public sealed class ContractThresholdUpdatedConsumerDefinition(IOptions<MessagingOptions> options)
    : EventConsumerDefinition<ContractThresholdUpdatedConsumer>(options);
