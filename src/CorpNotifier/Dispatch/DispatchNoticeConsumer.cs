using CorpNotifier.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Dispatch;

/// <summary>
/// A dispatch command from the bus. This version sends in process (<see cref="LocalDispatcher"/>);
/// the queue stays so that commands already in it — from instances of an earlier version during a
/// rolling upgrade — are still sent, through the same send path.
/// </summary>
public sealed class DispatchNoticeConsumer(NoticeSender sender) : IConsumer<DispatchNotice>
{
    public Task Consume(ConsumeContext<DispatchNotice> context) =>
        sender.SendAsync(context.Message.NoticeId, context.CancellationToken);
}

/// <summary>
/// Sends at most <c>Dispatch:ConcurrentSends</c> notices at once per instance. The retry only
/// covers faults of the send path itself (the database); mailer failures are retried per notice
/// through its <c>send_at</c>, visible to operators.
/// </summary>
public sealed class DispatchNoticeConsumerDefinition : ConsumerDefinition<DispatchNoticeConsumer>
{
    public DispatchNoticeConsumerDefinition(IOptions<DispatchOptions> options)
    {
        ConcurrentMessageLimit = options.Value.ConcurrentSends;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DispatchNoticeConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseDatabaseGate(context);
        var messaging = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
        endpointConfigurator.UseMessageRetry(messaging.ApplyRetry);
    }
}
