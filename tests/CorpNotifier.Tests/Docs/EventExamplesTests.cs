using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CorpNotifier.Tests.Integration;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Tests.Docs;

/// <summary>
/// The examples of docs/events.md run on the embedded default (the real host, SQLite, MassTransit's
/// in-memory harness): each <c>http</c> example is accepted by <c>POST /api/v1/events</c> and
/// processed, each <c>raw</c> example is processed from the queue <c>corp-notifier-events</c>, and
/// each <c>bad</c> example gets a 400 naming at least the fields its marker lists. Every event type
/// has all three kinds.
/// </summary>
public sealed partial class EventExamplesTests(EventExamplesTests.ExampleHost fixture) : IClassFixture<EventExamplesTests.ExampleHost>
{
    /// <summary>The key the documented Fernet tokens were made with (a throwaway, see docs/events.md).</summary>
    private const string ExampleFernetKey = "Ml0e-AE3jVo65rbNwgEtpYHcQx7HEp-kpVOS2SaaBsc=";

    private static readonly Lazy<IReadOnlyList<Example>> Examples = new(Read);

    /// <summary>Every event type: each has its examples.</summary>
    private static IEnumerable<string> ExampledTypes => EventTypes.ByName.Keys;

    public static TheoryData<string> ExampledEvents() => new(ExampledTypes);

    [Fact]
    public void Every_event_has_an_http_a_raw_and_a_bad_example_each_with_its_own_event_id()
    {
        var missing = new List<string>();
        foreach (var type in ExampledTypes)
        {
            foreach (var kind in new[] { ExampleKind.Http, ExampleKind.Raw, ExampleKind.Bad })
            {
                if (!Examples.Value.Any(e => e.Type == type && e.Kind == kind))
                {
                    missing.Add($"{type} {kind.ToString().ToLowerInvariant()}");
                }
            }
        }

        missing.ShouldBeEmpty("docs/events.md lacks these examples (mark each with <!-- example: Type http|raw --> or <!-- bad: Type fields: a, b --> before a ```json block)");
        foreach (var example in Examples.Value)
        {
            example.Json.RootElement.GetProperty("type").GetString().ShouldBe(example.Type, $"the {example.Kind} example of {example.Type} ({example.EventId}) has another type");
            if (example.Kind == ExampleKind.Bad)
            {
                example.Fields.ShouldNotBeEmpty($"the bad example {example.EventId} lists no fields");
            }
        }

        var repeated = Examples.Value.GroupBy(e => e.EventId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        repeated.ShouldBeEmpty("examples must differ in eventId");
    }

    [Theory]
    [MemberData(nameof(ExampledEvents))]
    public async Task The_http_example_is_accepted_and_processed(string type)
    {
        foreach (var example in Of(type, ExampleKind.Http))
        {
            using var client = fixture.Host.Client(CorpNotifier.Auth.Roles.Producer);
            using var body = new StringContent(example.Text, Encoding.UTF8, MediaTypeNames.Application.Json);
            using var response = await client.PostAsync("/api/v1/events", body);

            var answer = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, $"POST /api/v1/events with the http example {example.EventId} answered: {answer}");
            await fixture.ProcessedAsync(example);
        }
    }

    [Theory]
    [MemberData(nameof(ExampledEvents))]
    public async Task The_raw_example_is_processed_from_the_events_queue(string type)
    {
        foreach (var example in Of(type, ExampleKind.Raw))
        {
            var queue = await fixture.Host.Harness.Bus.GetSendEndpoint(new Uri("queue:corp-notifier-events"));

            // The body as a producer without MassTransit publishes it: the JSON as written, no envelope.
            await queue.Send(new RawEvent(), context => context.Serializer = new BodyAsWritten(example.Text));

            await fixture.ProcessedAsync(example);
        }
    }

    [Theory]
    [MemberData(nameof(ExampledEvents))]
    public async Task The_bad_example_is_refused_naming_every_listed_field(string type)
    {
        foreach (var example in Of(type, ExampleKind.Bad))
        {
            using var client = fixture.Host.Client(CorpNotifier.Auth.Roles.Producer);
            using var body = new StringContent(example.Text, Encoding.UTF8, MediaTypeNames.Application.Json);
            using var response = await client.PostAsync("/api/v1/events", body);

            var answer = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"the bad example {example.EventId} answered: {answer}");
            using var problem = JsonDocument.Parse(answer);
            var named = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
            example.Fields.Except(named, StringComparer.Ordinal).ShouldBeEmpty($"the refusal of {example.EventId} does not name these listed fields; it answered: {answer}");
        }
    }

    private static IEnumerable<Example> Of(string type, ExampleKind kind)
    {
        var examples = Examples.Value.Where(e => e.Type == type && e.Kind == kind).ToList();
        examples.ShouldNotBeEmpty($"docs/events.md has no {kind.ToString().ToLowerInvariant()} example of {type}");
        return examples;
    }

    /// <summary>Every marked block of docs/events.md; a marker without a JSON block after it fails here.</summary>
    private static List<Example> Read()
    {
        var text = File.ReadAllText(Repository.PathTo("docs", "events.md"));
        var examples = new List<Example>();
        var markers = Marker().Matches(text);
        markers.ShouldNotBeEmpty("docs/events.md has no marked examples");
        foreach (Match marker in markers)
        {
            var block = Block().Match(text, marker.Index + marker.Length);
            block.Success.ShouldBeTrue($"no ```json block right after the marker '{marker.Value}' in docs/events.md");
            block.Index.ShouldBe(marker.Index + marker.Length, $"the marker '{marker.Value}' is not followed at once by a ```json block");
            var json = block.Groups["json"].Value;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json);
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"the example after '{marker.Value}' in docs/events.md is not JSON: {ex.Message}", ex);
            }

            var kind = marker.Groups["bad"].Success ? ExampleKind.Bad : Enum.Parse<ExampleKind>(marker.Groups["way"].Value, ignoreCase: true);
            var fields = marker.Groups["fields"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            examples.Add(new Example(marker.Groups["type"].Value, kind, fields, json, document));
        }

        return examples;
    }

    [GeneratedRegex(@"<!--\s*(?:example:\s*(?<type>\w+)\s+(?<way>http|raw)|(?<bad>bad):\s*(?<type>\w+)\s+fields:\s*(?<fields>[^>]*?))\s*-->[ \t]*\r?\n")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\G```json\r?\n(?<json>.*?)\r?\n```", RegexOptions.Singleline)]
    private static partial Regex Block();

    public enum ExampleKind
    {
        Http,
        Raw,
        Bad,
    }

    public sealed record Example(string Type, ExampleKind Kind, IReadOnlyList<string> Fields, string Text, JsonDocument Json)
    {
        public string EventId => Json.RootElement.GetProperty("eventId").GetString()!;
    }

    /// <summary>
    /// One host for the class, knowing the client and contract the examples use (as the README's
    /// "Try it" posts them first), with the Fernet key the documented tokens were made with.
    /// </summary>
    public sealed class ExampleHost : IAsyncLifetime
    {
        public TestHost Host { get; } = new(new Dictionary<string, string?>
        {
            ["Secrets:FernetKeys:0"] = ExampleFernetKey,
            ["Notices:StaffEmailDomain"] = "staff.example",
        });

        public async Task InitializeAsync()
        {
            await Host.PostAndWaitAsync(Host.Events.Profile("client-42", ["billing@acme.example"]));
            await Host.PostAndWaitAsync(Host.Events.ContractResync("client-42"));
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();

        /// <summary>Waits for the example's row in <c>events</c>, of its type.</summary>
        public async Task ProcessedAsync(Example example)
        {
            var stored = await Eventually.MatchAsync(
                () => Host.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.EventId == example.EventId).Select(e => e.Type).ToListAsync()),
                rows => rows.Count == 1,
                $"the {example.Kind.ToString().ToLowerInvariant()} example {example.EventId} to be processed",
                diagnostics: () => string.Join('\n', Host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).TakeLast(20).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.Message}")));
            stored.ShouldBe([example.Type]);
        }
    }

    /// <summary>Writes the message body exactly as given, as application/json: a raw JSON producer's message.</summary>
    private sealed class BodyAsWritten(string json) : IMessageSerializer
    {
        public ContentType ContentType { get; } = new(MediaTypeNames.Application.Json);

        public MessageBody GetMessageBody<T>(SendContext<T> context)
            where T : class => new StringMessageBody(json);
    }
}
