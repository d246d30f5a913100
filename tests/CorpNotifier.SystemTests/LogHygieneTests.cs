using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CorpNotifier.Contracts;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The log of a full run as ops read it (the production JSON console format): structured, no secret
/// and no full email address anywhere, one line per retry, no stack trace for expected outcomes.
/// </summary>
public sealed partial class LogHygieneTests(ITestOutputHelper output) : SystemTest
{
    private readonly Figures _output = new(output, nameof(LogHygieneTests));

    private const string TemporaryPassword = "Tmp-Secret-7f3a9";

    [Fact]
    public async Task A_full_run_logs_structured_lines_without_secrets_or_email_addresses()
    {
        var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        });

        // A client with two addresses, an activation with a temporary password, balance letters,
        // a Sender that fails once (a retry) and refuses once (a failure), a duplicate event, a
        // bad event over HTTP and one on the bus.
        await PostAsync(service, Events.Profile("client-42", ["billing@acme.example", "ceo.private@acme.example"]));
        var activation = Events.Contract(
            "client-42",
            null,
            new ContractState { IsActive = true, PaymentType = PaymentTypes.Postpaid, Services = ["taxi"], LowBalanceThreshold = 100, DeactivateThreshold = 25, LowBalanceNotificationsEnabled = true },
            temporaryPassword: TemporaryPassword);
        await PostAsync(service, activation);
        await WaitUntilSentAsync(1, "the activation letter", TimeSpan.FromSeconds(60));
        await PostAsync(service, activation); // the same event again

        Upstreams.SenderScript.Enqueue(500);
        await PostAsync(service, Events.Balance("client-42", 150, 50));
        await WaitUntilSentAsync(2, "the low-balance letter after one retry", TimeSpan.FromSeconds(60));
        Upstreams.SenderScript.Enqueue(400);
        await PostAsync(service, Events.Balance("client-42", 150, 60));
        await WaitForNoticesAsync(n => n.Any(x => x.Status == NoticeStatus.Failed), "a letter the Sender refused");

        var bad = "{\"eventId\":\"bad-1\",\"type\":\"ClientProfileChanged\",\"occurredAt\":\"2026-11-26T10:00:00Z\",\"clientId\":\"client-42\",\"data\":{\"name\":\"Acme\",\"country\":\"rus\",\"locale\":\"ru\",\"timeZone\":\"Mars/Base\",\"emails\":[\"leak.me@acme.example\"],\"password\":\"" + TemporaryPassword + "\"}}";
        using (var refused = await service.Client.PostAsync("/api/v1/events", new StringContent(bad, Encoding.UTF8, "application/json")))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        // A raw event on the bus that faults: its body carries an address and the password.
        await PublishRawAsync(bad.Replace("bad-1", "bad-2", StringComparison.Ordinal));

        await Eventually.MatchAsync(() => Env.QueueDepthAsync("corp-notifier-events_error"), depth => depth == 1, "the bad raw event in the error queue", diagnostics: Logs);

        var lines = service.Output.ToList();
        _output.WriteLine($"{lines.Count} log lines read");

        var entries = new List<JsonElement>();
        foreach (var line in lines.Where(l => l.StartsWith('{')))
        {
            entries.Add(JsonDocument.Parse(line).RootElement.Clone());
        }

        // Structured: every line is a JSON entry, except the generated-key notice (none is generated here).
        lines.Where(l => !l.StartsWith('{')).ShouldBeEmpty("every log line is a structured JSON entry");

        var text = string.Join('\n', lines);
        text.ShouldNotContain(TemporaryPassword);
        text.ShouldNotContain("test-account-key");
        foreach (var role in Auth.Roles.All)
        {
            text.ShouldNotContain(ServiceProcess.KeyOf(role));
        }

        var addresses = FullAddresses().Matches(text).Select(m => m.Value).Distinct().ToList();
        addresses.ShouldBeEmpty($"full email addresses in the log: {string.Join(", ", addresses)}");

        var withStackTraces = entries
            .Where(e => e.TryGetProperty("Exception", out var ex) && ex.GetString()!.Contains("\n   at ", StringComparison.Ordinal))
            .Select(e => $"{e.GetProperty("Message").GetString()}: {e.GetProperty("Exception").GetString()}")
            .ToList();
        withStackTraces.ShouldBeEmpty("expected outcomes (a retry, a refusal, a duplicate, bad input) carry no stack trace");

        var retries = entries.Count(e => e.GetProperty("Message").GetString()!.Contains("attempt 1 failed", StringComparison.Ordinal));
        retries.ShouldBe(1, "one line per retry");
        _output.WriteLine($"{entries.Count} structured entries; levels: {string.Join(", ", entries.GroupBy(e => e.GetProperty("LogLevel").GetString()).Select(g => $"{g.Key} {g.Count()}"))}");
    }

    private async Task PublishRawAsync(string json)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory
        {
            HostName = SystemEnvironment.RabbitHost,
            Port = SystemEnvironment.RabbitPort,
            UserName = SystemEnvironment.RabbitUser,
            Password = SystemEnvironment.RabbitPassword,
            VirtualHost = Env.VirtualHost,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new RabbitMQ.Client.BasicProperties { MessageId = Guid.NewGuid().ToString(), ContentType = "application/json", Persistent = true };
        await channel.BasicPublishAsync("", "corp-notifier-events", mandatory: true, properties, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>An address whose local part is not masked (<c>b***@acme.example</c> is fine).</summary>
    [GeneratedRegex(@"(?<![\w.*+-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]{2}[A-Za-z0-9._%+-]*@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+")]
    private static partial Regex FullAddresses();
}
