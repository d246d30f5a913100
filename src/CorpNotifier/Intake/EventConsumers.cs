using CorpNotifier.Contracts;
using MassTransit;

namespace CorpNotifier.Intake;

/// <summary>A client's contract was created or changed: contract reminders, take-a-ride and activation notices.</summary>
public sealed class ContractChangedConsumer(EventProcessor processor) : IConsumer<ContractChanged>
{
    public Task Consume(ConsumeContext<ContractChanged> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A contract's balance changed: low balance, limit is over, financial unblock.</summary>
public sealed class BalanceChangedConsumer(EventProcessor processor) : IConsumer<BalanceChanged>
{
    public Task Consume(ConsumeContext<BalanceChanged> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A client completed an order: dequeues take-a-ride notices, feeds "has a successful order".</summary>
public sealed class OrderCompletedConsumer(EventProcessor processor) : IConsumer<OrderCompleted>
{
    public Task Consume(ConsumeContext<OrderCompleted> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A client's profile changed: feeds the local directory (name, country, locale, emails).</summary>
public sealed class ClientProfileChangedConsumer(EventProcessor processor) : IConsumer<ClientProfileChanged>
{
    public Task Consume(ConsumeContext<ClientProfileChanged> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A client's self-service request was created: the moderators' letter; cancels the trial follow-up.</summary>
public sealed class ClientRequestCreatedConsumer(EventProcessor processor) : IConsumer<ClientRequestCreated>
{
    public Task Consume(ConsumeContext<ClientRequestCreated> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A self-service request was accepted or rejected: the client's letter, offer scoring.</summary>
public sealed class ClientRequestStatusChangedConsumer(EventProcessor processor) : IConsumer<ClientRequestStatusChanged>
{
    public Task Consume(ConsumeContext<ClientRequestStatusChanged> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A sales manager's request changed status: the manager's letter; an accepted one is remembered for the activation letter.</summary>
public sealed class ManagerRequestStatusChangedConsumer(EventProcessor processor) : IConsumer<ManagerRequestStatusChanged>
{
    public Task Consume(ConsumeContext<ManagerRequestStatusChanged> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A trial client signed up: welcome letters and the follow-up.</summary>
public sealed class NewTrialClientConsumer(EventProcessor processor) : IConsumer<NewTrialClient>
{
    public Task Consume(ConsumeContext<NewTrialClient> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A trial sign-up repeated an existing client's phone.</summary>
public sealed class DuplicateTrialClientConsumer(EventProcessor processor) : IConsumer<DuplicateTrialClient>
{
    public Task Consume(ConsumeContext<DuplicateTrialClient> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>An operator blocked or unblocked a contract.</summary>
public sealed class ContractSettingsChangedConsumer(EventProcessor processor) : IConsumer<ContractSettingsChanged>
{
    public Task Consume(ConsumeContext<ContractSettingsChanged> context) =>
        processor.ProcessAsync(context.Message, context);
}

/// <summary>A contract's credit threshold changed.</summary>
public sealed class ContractThresholdUpdatedConsumer(EventProcessor processor) : IConsumer<ContractThresholdUpdated>
{
    public Task Consume(ConsumeContext<ContractThresholdUpdated> context) =>
        processor.ProcessAsync(context.Message, context);
}
