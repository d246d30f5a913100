using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CorpNotifier.Admin;
using CorpNotifier.Rules;

namespace CorpNotifier.SystemTests;

/// <summary>
/// A newcomer's first run: the service started with the README's command (<c>dotnet run --project
/// src/CorpNotifier</c>, the Development environment and its embedded default: in-memory bus, SQLite,
/// letters written to a folder), fed every example of docs/events.md in order, sends every one of
/// the letters the service knows, and rejects none for its configuration.
/// </summary>
[Trait("Category", "System")]
public sealed partial class DevelopmentRunTests
{
    /// <summary>The keys appsettings.Development.json configures (the README's "Try it").</summary>
    private const string ProducerKey = "dev-producer-key";

    private const string ViewerKey = "dev-viewer-key";

    /// <summary>Reasons that say the service lacks configuration rather than that a letter's own check said no.</summary>
    private static readonly string[] ConfigurationReasons =
    [
        ReasonCodes.NoRecipient, ReasonCodes.UndecryptableSecret, ReasonCodes.NoSlug, ReasonCodes.Disabled, ReasonCodes.UnknownKind,
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_development_run_sends_every_letter_of_the_documented_examples_and_rejects_none_for_its_configuration()
    {
        var data = Directory.CreateTempSubdirectory("corp-notifier-dev-run-");
        try
        {
            var letters = Path.Combine(data.FullName, "letters");
            await using var service = await ServiceProcess.StartAsync(new ServiceStart(new Dictionary<string, string>
            {
                ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(data.FullName, "corp-notifier.db")}",
                ["FileMailer:Folder"] = letters,
                // The examples' moments are long past, so their delayed letters are due at once — and,
                // with send windows, held until the next business morning when the suite runs at night.
                ["SendWindows:Enabled"] = "false",
            })
            {
                Name = "development run",
                Command = new ServiceCommand("dotnet", ["run", "--no-build", "--configuration", HostBuild.Configuration, "--project", HostBuild.Project]),
                Environment = "Development",
                Keys = null,
            });
            using var producer = Client(service, ProducerKey);
            using var viewer = Client(service, ViewerKey);

            foreach (var example in Examples())
            {
                using var body = new StringContent(example.Text, Encoding.UTF8, "application/json");
                using var response = await producer.PostAsync("/api/v1/events", body);
                response.StatusCode.ShouldBe(HttpStatusCode.Accepted, $"{example.EventId}: {await response.Content.ReadAsStringAsync()}");
                await Eventually.MatchAsync(
                    async () => (await viewer.GetAsync($"/api/v1/events/{Uri.EscapeDataString(example.EventId)}")).StatusCode,
                    status => status == HttpStatusCode.OK,
                    $"the example {example.EventId} to be processed",
                    diagnostics: () => Tail(service));

                // One example after the other, as a person tries them: the letters an event made due
                // go out before the next event, which may dequeue what is still pending.
                await SettledAsync(viewer, service, $"the letters due after {example.EventId} to go out");
            }

            var notices = await SettledAsync(viewer, service, "every due letter to go out");
            var kinds = (await viewer.GetFromJsonAsync<List<NoticeSettingsView>>("/api/v1/settings/notices", Json))!.Select(s => s.Kind).ToList();
            kinds.Count.ShouldBe(32);

            notices.Where(n => n.ReasonCode is { } code && ConfigurationReasons.Contains(code))
                .Select(n => $"{n.Id} {n.Kind}: {n.ReasonCode} ({n.Reason})")
                .ShouldBeEmpty("letters rejected for the development configuration");
            kinds.Except(notices.Where(n => n.Status == "sent").Select(n => n.Kind), StringComparer.Ordinal)
                .ShouldBeEmpty($"letters no example sent; the notices were: {string.Join("; ", notices.Select(n => $"{n.Kind} {n.Status} {n.ReasonCode}"))}");

            var files = Directory.GetFiles(letters, "*.eml").Select(Path.GetFileName).ToList();
            foreach (var sent in notices.Where(n => n.Status == "sent"))
            {
                files.ShouldContain(f => f!.StartsWith($"{sent.Id:D8}-{sent.Kind}-", StringComparison.Ordinal), $"the letter file of notice {sent.Id} ({sent.Kind})");
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>Waits until no notice is being sent and none that is due waits; returns every notice then.</summary>
    private static Task<List<NoticeView>> SettledAsync(HttpClient viewer, ServiceProcess service, string what) =>
        Eventually.MatchAsync(
            async () => (await viewer.GetFromJsonAsync<NoticePage>("/api/v1/notices?limit=500", Json))!.Items.ToList(),
            notices => !notices.Any(n => n.Status == "sending" || (n.Status == "pending" && n.SendAt <= DateTimeOffset.UtcNow)),
            what,
            timeout: TimeSpan.FromSeconds(60),
            diagnostics: () => Tail(service));

    private static HttpClient Client(ServiceProcess service, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        client.DefaultRequestHeaders.Add(ApiKeys.Header, key);
        return client;
    }

    private static string Tail(ServiceProcess service) => string.Join('\n', service.Output.TakeLast(40));

    /// <summary>Every http and raw example of docs/events.md, in the order the page gives them.</summary>
    private static IEnumerable<(string EventId, string Text)> Examples()
    {
        var page = File.ReadAllText(Path.Combine(HostBuild.RepositoryRoot, "docs", "events.md"));
        var examples = Example().Matches(page).Select(m => m.Groups["json"].Value).ToList();
        examples.Count.ShouldBeGreaterThan(30, "docs/events.md's examples were not found");
        return examples.Select(text => (JsonDocument.Parse(text).RootElement.GetProperty("eventId").GetString()!, text));
    }

    [GeneratedRegex(@"<!--\s*example:\s*\w+\s+(?:http|raw)\s*-->[ \t]*\r?\n```json\r?\n(?<json>.*?)\r?\n```", RegexOptions.Singleline)]
    private static partial Regex Example();
}
