using System.Net.Mime;
using CorpNotifier.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>
/// A raw JSON event in the wire format, from a producer without MassTransit. The body is read
/// as it came (<see cref="EventEnvelopeReader"/>), so this type has no members of its own.
/// </summary>
public sealed record RawEvent;

/// <summary>
/// Queue <c>corp-notifier-events</c>: events as raw JSON in the wire format (the same body as
/// <c>POST /api/v1/events</c>), for producers that do not use the C# contracts. An invalid body
/// faults to <c>corp-notifier-events_error</c> with the reason in <c>MT-Fault-Message</c>.
/// </summary>
public sealed class RawEventConsumer(EventProcessor processor, TimeProvider time) : IConsumer<RawEvent>
{
    public async Task Consume(ConsumeContext<RawEvent> context)
    {
        var read = EventEnvelopeReader.Read(context.ReceiveContext.Body.GetBytes(), time.GetUtcNow());
        if (!read.IsValid)
        {
            throw new InvalidEventException(read.Errors);
        }

        await processor.ProcessAsync(read.Event!, context);
    }
}

public sealed class RawEventConsumerDefinition : EventConsumerDefinition<RawEventConsumer>
{
    public const string QueueName = "events";

    public RawEventConsumerDefinition(IOptions<MessagingOptions> options)
        : base(options)
    {
        EndpointName = $"{options.Value.EndpointPrefix}-{QueueName}";
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RawEventConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Producers publish plain JSON to this queue (or its exchange of the same name);
        // no message-type exchange is bound to it.
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.DefaultContentType = new ContentType("application/json");
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
    }
}
