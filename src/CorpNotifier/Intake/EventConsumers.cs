using CorpNotifier.Contracts;
using MassTransit;

namespace CorpNotifier.Intake;

/// <summary>A client's contract was created or changed: contract reminders, take-a-ride and activation notices.</summary>
public sealed class ContractChangedConsumer(EventDelivery delivery) : IConsumer<ContractChanged>
{
    public Task Consume(ConsumeContext<ContractChanged> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A contract's balance changed: low balance, limit is over, financial unblock.</summary>
public sealed class BalanceChangedConsumer(EventDelivery delivery) : IConsumer<BalanceChanged>
{
    public Task Consume(ConsumeContext<BalanceChanged> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A client completed an order: dequeues take-a-ride notices, feeds "has a successful order".</summary>
public sealed class OrderCompletedConsumer(EventDelivery delivery) : IConsumer<OrderCompleted>
{
    public Task Consume(ConsumeContext<OrderCompleted> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A client's profile changed: feeds the local directory (name, country, locale, emails).</summary>
public sealed class ClientProfileChangedConsumer(EventDelivery delivery) : IConsumer<ClientProfileChanged>
{
    public Task Consume(ConsumeContext<ClientProfileChanged> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A client's self-service request was created: the moderators' letter; cancels the trial follow-up.</summary>
public sealed class ClientRequestCreatedConsumer(EventDelivery delivery) : IConsumer<ClientRequestCreated>
{
    public Task Consume(ConsumeContext<ClientRequestCreated> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A self-service request was accepted or rejected: the client's letter, offer scoring.</summary>
public sealed class ClientRequestStatusChangedConsumer(EventDelivery delivery) : IConsumer<ClientRequestStatusChanged>
{
    public Task Consume(ConsumeContext<ClientRequestStatusChanged> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A sales manager's request changed status: the manager's letter; an accepted one is remembered for the activation letter.</summary>
public sealed class ManagerRequestStatusChangedConsumer(EventDelivery delivery) : IConsumer<ManagerRequestStatusChanged>
{
    public Task Consume(ConsumeContext<ManagerRequestStatusChanged> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A trial client signed up: welcome letters and the follow-up.</summary>
public sealed class NewTrialClientConsumer(EventDelivery delivery) : IConsumer<NewTrialClient>
{
    public Task Consume(ConsumeContext<NewTrialClient> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A trial sign-up repeated an existing client's phone.</summary>
public sealed class DuplicateTrialClientConsumer(EventDelivery delivery) : IConsumer<DuplicateTrialClient>
{
    public Task Consume(ConsumeContext<DuplicateTrialClient> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>An operator blocked or unblocked a contract.</summary>
public sealed class ContractSettingsChangedConsumer(EventDelivery delivery) : IConsumer<ContractSettingsChanged>
{
    public Task Consume(ConsumeContext<ContractSettingsChanged> context) =>
        delivery.ProcessAsync(context.Message, context);
}

/// <summary>A contract's credit threshold changed.</summary>
public sealed class ContractThresholdUpdatedConsumer(EventDelivery delivery) : IConsumer<ContractThresholdUpdated>
{
    public Task Consume(ConsumeContext<ContractThresholdUpdated> context) =>
        delivery.ProcessAsync(context.Message, context);
}
