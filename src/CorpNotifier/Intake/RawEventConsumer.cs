using System.Net.Mime;
using CorpNotifier.Messaging;
using MassTransit;
using MassTransit.Serialization;
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
public sealed class RawEventConsumer(EventDelivery delivery, TimeProvider time) : IConsumer<RawEvent>
{
    public async Task Consume(ConsumeContext<RawEvent> context)
    {
        var read = EventEnvelopeReader.Read(context.ReceiveContext.Body.GetBytes(), time.GetUtcNow());
        if (!read.IsValid)
        {
            throw new InvalidEventException(read.Errors);
        }

        await delivery.ProcessAsync(read.Event!, context);
    }
}

public sealed class RawEventConsumerDefinition : EventEndpointDefinition<RawEventConsumer>
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
        endpointConfigurator.AddDeserializer(new RawEventSerializerFactory(), isDefault: true);
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
    }
}

/// <summary>
/// The raw endpoint's JSON deserializer. The body is the consumer's to read
/// (<see cref="EventEnvelopeReader"/>): MassTransit's raw JSON deserializer would parse it first and
/// fault a body that is not JSON, or not an object, with its own exception before the consumer
/// could name the reasons. So MassTransit is given an empty object for the message it
/// deserializes, and every body reaches <see cref="RawEventConsumer"/> — refused there with the same
/// words as over HTTP. The message headers (its id among them) are read as usual, and a faulted
/// message goes to the error queue with its body as it came.
/// </summary>
public sealed class RawEventSerializerFactory : ISerializerFactory
{
    private readonly SystemTextJsonRawMessageSerializer _inner = new(RawSerializerOptions.AnyMessageType);

    public ContentType ContentType => _inner.ContentType;

    public IMessageSerializer CreateSerializer() => _inner;

    public IMessageDeserializer CreateDeserializer() => new Deserializer(_inner);

    private sealed class Deserializer(SystemTextJsonRawMessageSerializer inner) : IMessageDeserializer
    {
        private static readonly MessageBody Empty = new StringMessageBody("{}");

        public ContentType ContentType => inner.ContentType;

        public void Probe(ProbeContext context) => inner.Probe(context);

        public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
            new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

        public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null) =>
            inner.Deserialize(Empty, headers, destinationAddress);

        public MessageBody GetMessageBody(string text) => inner.GetMessageBody(text);
    }
}
