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
