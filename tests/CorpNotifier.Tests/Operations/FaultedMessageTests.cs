using System.Text;
using System.Text.Json.Nodes;
using CorpNotifier.Operations;
using RabbitMQ.Client;

namespace CorpNotifier.Tests.Operations;

/// <summary>What the error commands read from a faulted message, print of it, and send back.</summary>
public sealed class FaultedMessageTests
{
    private static FaultedMessage Faulted(string body, Dictionary<string, object?>? headers = null) => new(
        "corp-notifier-events_error",
        1,
        new BasicProperties
        {
            MessageId = "raw-1",
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            UserId = "producer",
            Headers = headers ?? new Dictionary<string, object?>
            {
                // AMQP carries strings as bytes, as the broker hands them to the client.
                ["MT-Fault-ExceptionType"] = Encoding.UTF8.GetBytes("CorpNotifier.Intake.InvalidEventException"),
                ["MT-Fault-Message"] = Encoding.UTF8.GetBytes("The event is invalid:\ndata.oldBalance: has the wrong type"),
                ["MT-Fault-Timestamp"] = Encoding.UTF8.GetBytes("2026-11-26T10:00:03.1234567Z"),
                ["MT-Fault-StackTrace"] = Encoding.UTF8.GetBytes("at A()\nat B()"),
                ["MT-Reason"] = Encoding.UTF8.GetBytes("fault"),
                ["MT-MessageType"] = Encoding.UTF8.GetBytes("urn:message:CorpNotifier.Intake:RawEvent"),
                ["MT-Host-MachineName"] = Encoding.UTF8.GetBytes("node-1"),
            },
        },
        Encoding.UTF8.GetBytes(body));

    [Fact]
    public void The_fault_is_read_from_MassTransit_headers()
    {
        var message = Faulted("{}");

        message.MessageId.ShouldBe("raw-1");
        message.ExceptionType.ShouldBe("CorpNotifier.Intake.InvalidEventException");
        message.Reason.ShouldBe("The event is invalid: data.oldBalance: has the wrong type");
        message.FaultedAt.ShouldBe(new DateTimeOffset(2026, 11, 26, 10, 0, 3, TimeSpan.Zero).AddTicks(1234567));
        message.FirstFaultedAt.ShouldBe(message.FaultedAt);
        message.MessageType.ShouldBe("urn:message:CorpNotifier.Intake:RawEvent");
        message.StackTrace.ShouldBe(["at A()", "at B()"]);
        message.Replays.ShouldBe(0);
    }

    [Fact]
    public void A_raw_event_without_a_MassTransit_type_is_named_by_its_wire_type()
    {
        var message = Faulted("""{"eventId":"raw-1","type":"BalanceChanged","data":{}}""", new Dictionary<string, object?>());

        message.MessageType.ShouldBe("event BalanceChanged");
        FaultedMessageText.Line(message).ShouldBe("  raw-1  (time unknown)  event BalanceChanged  (no fault headers)");
    }

    [Fact]
    public void A_replay_keeps_the_message_and_drops_what_describes_the_fault()
    {
        var properties = Faulted("{}").ReplayProperties();

        properties.MessageId.ShouldBe("raw-1");
        properties.ContentType.ShouldBe("application/json");
        properties.DeliveryMode.ShouldBe(DeliveryModes.Persistent);
        properties.UserId.ShouldBeNull();
        properties.Headers!.Keys.Order(StringComparer.Ordinal).ShouldBe(
            [FaultedMessage.FirstFaultHeader, FaultedMessage.ReplayCountHeader, "MT-Host-MachineName", "MT-MessageType"]);
        properties.Headers[FaultedMessage.ReplayCountHeader].ShouldBe(1);
    }

    [Fact]
    public void A_second_replay_keeps_the_first_fault_time_and_counts()
    {
        var first = Faulted("{}");
        var headers = first.ReplayProperties().Headers!.ToDictionary();
        headers["MT-Fault-Timestamp"] = Encoding.UTF8.GetBytes("2026-11-27T08:00:00Z");
        var again = Faulted("{}", headers);

        again.FirstFaultedAt.ShouldBe(first.FaultedAt);
        again.Replays.ShouldBe(1);
        var replayed = again.ReplayProperties().Headers!;
        Encoding.UTF8.GetString((byte[])replayed[FaultedMessage.FirstFaultHeader]!).ShouldBe("2026-11-26T10:00:03.1234567Z");
        replayed[FaultedMessage.ReplayCountHeader].ShouldBe(2);
    }

    [Fact]
    public void Show_masks_the_secrets_of_a_wire_format_event_and_pretty_prints_it()
    {
        var message = Faulted("""{"eventId":"c-1","type":"ContractChanged","clientId":"client-42","data":{"contractId":"c","temporaryPassword":"s3cret-Pa55","externalId":"ДГ-7"}}""");

        var details = FaultedMessageText.Details(message, 1);

        details.ShouldNotContain("s3cret-Pa55");
        details.ShouldContain("\"temporaryPassword\": \"***\"");
        details.ShouldContain("\"externalId\": \"ДГ-7\"");
        details.ShouldContain("reason         The event is invalid: data.oldBalance: has the wrong type");
        details.ShouldContain("MT-Host-MachineName: node-1");
    }

    [Fact]
    public void Show_masks_the_secrets_of_a_typed_event_in_a_MassTransit_envelope()
    {
        var envelope = JsonNode.Parse("""
            {"messageId":"m-1","messageType":["urn:message:CorpNotifier.Contracts:ContractChanged"],
             "message":{"eventId":"c-1","clientId":"client-42","temporaryPassword":"s3cret-Pa55"}}
            """)!;

        FaultedMessageText.Mask(envelope)["message"]!["temporaryPassword"]!.GetValue<string>().ShouldBe("***");
    }

    [Fact]
    public void A_body_that_is_not_json_is_shown_as_text_or_by_size()
    {
        FaultedMessageText.Body(Faulted("not json")).ShouldBe("not json");
        var binary = new FaultedMessage("q_error", 1, new BasicProperties(), new byte[] { 0xff, 0xfe, 0x00 });
        FaultedMessageText.Body(binary).ShouldBe("(3 bytes that are not text)");
    }
}
