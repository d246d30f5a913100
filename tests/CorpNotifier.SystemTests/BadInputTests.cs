using System.Net;
using System.Text;
using System.Text.Json;
using CorpNotifier.Intake;
using RabbitMQ.Client;

namespace CorpNotifier.SystemTests;

/// <summary>Bad events get a clear error and change nothing — over HTTP and on the bus.</summary>
public sealed class BadInputTests : SystemTest
{
    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "malformed JSON", """{"eventId": "e-1", "type": """, "$" },
        { "missing clientId", """{"eventId":"e-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","data":{"contractId":"c","oldBalance":1,"newBalance":2,"currency":"RUB"}}""", "clientId" },
        { "unknown type", """{"eventId":"e-1","type":"ContractSigned","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{}}""", "type" },
        { "wrong field type", """{"eventId":"e-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"contractId":"c","oldBalance":"a lot","newBalance":2,"currency":"RUB"}}""", "data.oldBalance" },
        { "missing data field", """{"eventId":"e-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"oldBalance":1,"newBalance":2,"currency":"RUB"}}""", "data.contractId" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_event_over_http_gets_a_400_problem_naming_the_field_and_writes_nothing(string problem, string body, string field)
    {
        var service = await StartServiceAsync();

        using var response = await service.Client.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, problem);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var details = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        details.GetProperty("status").GetInt32().ShouldBe(400);
        details.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{problem}: {details}");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_2_MB_event_gets_a_413_problem_and_writes_nothing()
    {
        var service = await StartServiceAsync();
        var padding = new string('x', 2 * 1024 * 1024);
        var body = "{\"eventId\":\"e-1\",\"type\":\"OrderCompleted\",\"occurredAt\":\"2026-11-26T10:00:00Z\",\"clientId\":\"client-42\",\"data\":{\"orderId\":\"o-1\",\"service\":\"taxi\",\"padding\":\"" + padding + "\"}}";

        using var response = await service.Client.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_raw_json_event_from_a_non_dotnet_producer_is_processed()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        var evt = Events.Balance("client-42", 150, 50);

        await PublishRawAsync(JsonSerializer.Serialize(EventEnvelopeReader.Write(evt)), evt.EventId);

        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == Notices.NoticeStatus.Sent, "the letter of the raw event"))[0];
        notice.EventId.ShouldBe(evt.EventId);
        Upstreams.SenderCalls.ShouldHaveSingleItem().Slug.ShouldBe("low-balance");
    }

    [Fact]
    public async Task A_bad_raw_json_event_faults_to_the_error_queue_with_its_reason_and_writes_nothing()
    {
        await StartServiceAsync();

        await PublishRawAsync("""{"eventId":"raw-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"contractId":"c","oldBalance":"x","newBalance":2,"currency":"RUB"}}""", "raw-1");

        await Eventually.MatchAsync(() => Env.QueueDepthAsync("corp-notifier-events_error"), depth => depth == 1, "the bad event in the error queue", diagnostics: Logs);
        var faulted = (await Env.GetMessageAsync("corp-notifier-events_error"))!.Value;
        var headers = faulted.Properties.GetProperty("headers");
        headers.GetProperty("MT-Fault-ExceptionType").GetString().ShouldBe(typeof(InvalidEventException).FullName);
        headers.GetProperty("MT-Fault-Message").GetString()!.ShouldContain("data.oldBalance");
        faulted.Payload.ShouldContain("\"raw-1\"");
        await AssertNothingWrittenAsync();
    }

    private async Task AssertNothingWrittenAsync()
    {
        await Task.Delay(500);
        await using var db = Env.Db();
        db.Events.Count().ShouldBe(0);
        db.Notices.Count().ShouldBe(0);
    }

    /// <summary>What a Python producer does with pika: plain JSON to the events exchange, with a message id.</summary>
    private async Task PublishRawAsync(string json, string messageId)
    {
        var factory = new ConnectionFactory
        {
            HostName = SystemEnvironment.RabbitHost,
            Port = SystemEnvironment.RabbitPort,
            VirtualHost = Env.VirtualHost,
            UserName = SystemEnvironment.RabbitUser,
            Password = SystemEnvironment.RabbitPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/json", MessageId = messageId, DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync("corp-notifier-events", "", mandatory: true, properties, Encoding.UTF8.GetBytes(json));
    }
}
