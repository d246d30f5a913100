using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Contracts;
using Json.Schema;

namespace CorpNotifier.Tests.Intake;

/// <summary>
/// The quick check says "valid" only where the schema library does, and says it for the events
/// producers send; where it is not sure, the library decides. Each event type's schema is checked
/// against hundreds of variations of a valid event of that type.
/// </summary>
public sealed class QuickSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static readonly TestEvents Events = new(Now);

    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag };

    /// <summary>A valid event of every type, as a producer would send it.</summary>
    private static readonly IEvent[] Valid =
    [
        Events.Profile("client-42"),
        Events.Contract("client-42", null, new ContractState { PaymentType = PaymentTypes.Prepaid, IsActive = true, Services = ["taxi"], LowBalanceThreshold = 100m, DeactivateThreshold = 10m }),
        Events.Balance("client-42", 150m, 5m),
        Events.Order("client-42"),
        Events.RequestCreated("client-42"),
        Events.RequestStatus("client-42", ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted),
        Events.ManagerRequest("client-42", ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepted),
        Events.Trial("client-42"),
        Events.DuplicateTrial("client-42", used: true),
        Events.ContractSettings("client-42", wasActive: true, isActive: false),
        Events.Threshold("client-42", ThresholdTypes.Standard, ThresholdTypes.Quasi),
    ];

    /// <summary>Values put in place of each field in turn: of every kind, at and past the limits the schemas set.</summary>
    private static readonly string[] Replacements =
    [
        "\"\"", "\" \"", "\"x\"", "\"client-1\"", "\"RUB\"", "\"rub\"", "\"taxi\"", "\"new\"", "\"approved\"",
        $"\"{new string('x', 128)}\"", $"\"{new string('x', 129)}\"", $"\"{new string('x', 300)}\"",
        $"\"{string.Concat(Enumerable.Repeat("e\\u0301", 100))}\"", "\"a\\u0007b\"", "\"\\u00A0\"",
        "\"2026-11-26T10:00:00Z\"", "\"2026-13-01T00:00:00Z\"", "\"2026-11-26 10:00:00Z\"", "\"Europe/Moscow\"", "\"billing@acme.example\"",
        "0", "-1", "1", "1.0", "1.5", "1e2", "1e400", "-0", "12345678901234567890123",
        "1000000000000000", "1000000000000000.0000001", "-1000000000000000", "10000000000000000", "-10000000000000000",
        "true", "false", "null", "{}", "[]", "[\"a\"]", "[1]", "{\"x\":1}",
    ];

    public static TheoryData<string> EventTypeNames => [.. EventTypes.ByName.Keys];

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void Every_event_schema_has_a_quick_check(string eventType)
    {
        QuickSchema.Compile(EventSchemas.For(eventType)).ShouldNotBeNull($"{eventType}: a keyword of its schema is not known to the quick check, so every event of it waits for the library");
    }

    [Fact]
    public void The_test_covers_every_event_type()
    {
        Valid.Select(e => e.GetType().Name).Order().ShouldBe(EventTypes.ByName.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void A_valid_event_is_quickly_valid(string eventType)
    {
        var wire = Wire(Valid.Single(e => e.GetType().Name == eventType));
        var (quick, library) = Both(eventType);

        library.Evaluate(wire, Flag).IsValid.ShouldBeTrue();
        quick.IsSurelyValid(wire).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void What_the_quick_check_finds_valid_the_library_finds_valid(string eventType)
    {
        var (quick, library) = Both(eventType);
        var original = EventEnvelopeReader.Write(Valid.Single(e => e.GetType().Name == eventType));
        var checkedCount = 0;
        var quicklyValid = 0;
        var libraryValid = 0;
        foreach (var variant in Variants(original))
        {
            using var document = JsonDocument.Parse(variant.ToJsonString());
            var isQuick = quick.IsSurelyValid(document.RootElement);
            var isValid = library.Evaluate(document.RootElement, Flag).IsValid;
            if (isQuick)
            {
                isValid.ShouldBeTrue($"the quick check found valid what the library refuses: {variant.ToJsonString()}");
            }

            checkedCount++;
            quicklyValid += isQuick ? 1 : 0;
            libraryValid += isValid ? 1 : 0;
        }

        checkedCount.ShouldBeGreaterThan(100);
        quicklyValid.ShouldBeGreaterThan(0);
        quicklyValid.ShouldBeLessThanOrEqualTo(libraryValid);
    }

    [Theory]
    [InlineData("""{"type":"string","minLength":1}""")]
    [InlineData("""{"type":"object","properties":{"a":{"oneOf":[{"type":"string"},{"type":"null"}]}}}""")]
    [InlineData("""{"type":"object","additionalProperties":{"type":"string","minLength":1}}""")]
    [InlineData("""{"type":"object","required":["a"]}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}""")]
    [InlineData("""{"type":"strings"}""")]
    [InlineData("""{"enum":[{"a":1}]}""")]
    [InlineData("""{"$ref":"#/$defs/a","$defs":{"a":{"type":"string"}}}""")]
    [InlineData("""{"type":"number","exclusiveMinimum":0}""")]
    [InlineData("""{"type":"number","maximum":1e30}""")]
    [InlineData("""{"type":"string","format":"email"}""")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-07/schema#","type":"string","format":"email"}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","format":"date-time"}}}""")]
    [InlineData("""{"type":"string","pattern":"("}""")]
    public void A_schema_with_a_keyword_it_does_not_know_has_no_quick_check(string schema)
    {
        QuickSchema.Compile(JsonNode.Parse(schema)).ShouldBeNull();
    }

    [Fact]
    public void Without_a_draft_the_library_checks_formats_so_the_quick_check_steps_aside()
    {
        using var document = JsonDocument.Parse("\"not an address\"");
        const string Draft = "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",";

        JsonSchema.FromText("""{"type":"string","format":"email"}""").Evaluate(document.RootElement, Flag).IsValid.ShouldBeFalse();
        JsonSchema.FromText($$"""{{{Draft}}"type":"string","format":"email"}""").Evaluate(document.RootElement, Flag).IsValid.ShouldBeTrue();
        QuickSchema.Compile(JsonNode.Parse($$"""{{{Draft}}"type":"string","format":"email"}""")).ShouldNotBeNull().IsSurelyValid(document.RootElement).ShouldBeTrue();
    }

    [Fact]
    public void A_value_held_as_another_type_is_not_known_rather_than_a_throw()
    {
        QuickSchema.Compile(new JsonObject { ["const"] = JsonValue.Create(Guid.Empty) }).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"type":"string","maxLength":3}""", "\"e\\u0301e\\u0301e\\u0301\"")]
    [InlineData("""{"type":"integer"}""", "1.0")]
    [InlineData("""{"type":"integer"}""", "1e2")]
    [InlineData("""{"type":"number","maximum":10}""", "1e1")]
    [InlineData("""{"type":"number","maximum":10}""", "10.000000000000000000")]
    [InlineData("""{"const":1}""", "1e0")]
    public void Where_it_cannot_be_sure_it_leaves_the_answer_to_the_library(string schema, string instance)
    {
        var node = JsonNode.Parse(schema);
        using var document = JsonDocument.Parse(instance);

        JsonSchema.FromText(schema).Evaluate(document.RootElement, Flag).IsValid.ShouldBeTrue();
        QuickSchema.Compile(node).ShouldNotBeNull().IsSurelyValid(document.RootElement).ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"type":"string","maxLength":3,"pattern":"^[a-z]+$"}""", "\"abc\"", true)]
    [InlineData("""{"type":"string","maxLength":3,"pattern":"^[a-z]+$"}""", "\"abcd\"", false)]
    [InlineData("""{"type":"string","pattern":"^[a-z]+$"}""", "\"ab1\"", false)]
    [InlineData("""{"type":["string","null"]}""", "null", true)]
    [InlineData("""{"type":"integer","minimum":-5,"maximum":5}""", "-5", true)]
    [InlineData("""{"type":"integer","minimum":-5,"maximum":5}""", "6", false)]
    [InlineData("""{"type":"number","minimum":0.5}""", "0.49", false)]
    [InlineData("""{"enum":["a","b",null,2]}""", "2.0", true)]
    [InlineData("""{"enum":["a","b",null,2]}""", "\"c\"", false)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}""", """{"a":"x"}""", true)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}""", """{}""", false)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}""", """{"b":1}""", false)]
    [InlineData("""{"type":"object","maxProperties":1,"propertyNames":{"type":"string","maxLength":2}}""", """{"ab":1}""", true)]
    [InlineData("""{"type":"object","maxProperties":1,"propertyNames":{"type":"string","maxLength":2}}""", """{"abc":1}""", false)]
    [InlineData("""{"type":"object","maxProperties":1}""", """{"a":1,"b":2}""", false)]
    [InlineData("""{"type":"array","maxItems":2,"items":{"type":"string"}}""", """["a","b"]""", true)]
    [InlineData("""{"type":"array","maxItems":2,"items":{"type":"string"}}""", """["a","b","c"]""", false)]
    [InlineData("""{"type":"array","items":{"type":"string"}}""", """["a",1]""", false)]
    [InlineData("""{"type":"object","properties":{"a":false}}""", """{"a":1}""", false)]
    [InlineData("""{"type":"object","properties":{"a":true}}""", """{"a":[1,{"b":null}]}""", true)]
    [InlineData("""{"type":"object","additionalProperties":{"type":"string","maxLength":2}}""", """{"a":"xy","b":"z"}""", true)]
    [InlineData("""{"type":"object","additionalProperties":{"type":"string","maxLength":2}}""", """{"a":"xyz"}""", false)]
    [InlineData("""{"type":"object","propertyNames":{"pattern":"^[a-z]+$"}}""", """{"A":1}""", false)]
    public void It_agrees_with_the_library_on_each_keyword(string schema, string instance, bool valid)
    {
        using var document = JsonDocument.Parse(instance);

        JsonSchema.FromText(schema).Evaluate(document.RootElement, Flag).IsValid.ShouldBe(valid);
        QuickSchema.Compile(JsonNode.Parse(schema)).ShouldNotBeNull().IsSurelyValid(document.RootElement).ShouldBe(valid);
    }

    private static (QuickSchema Quick, JsonSchema Library) Both(string eventType)
    {
        var source = EventSchemas.For(eventType);
        return (QuickSchema.Compile(source).ShouldNotBeNull(), JsonSchema.Build(JsonSerializer.SerializeToElement(source), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
    }

    private static JsonElement Wire(IEvent evt) => JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(evt));

    /// <summary>The event with each field in turn removed, and replaced by each of <see cref="Replacements"/>; each object with a field it does not have.</summary>
    private static IEnumerable<JsonNode> Variants(JsonObject original)
    {
        foreach (var path in Paths(original, []))
        {
            var removed = original.DeepClone();
            Parent(removed, path).AsObject().Remove(path[^1]);
            yield return removed;
            foreach (var replacement in Replacements)
            {
                var replaced = original.DeepClone();
                Parent(replaced, path)[path[^1]] = JsonNode.Parse(replacement);
                yield return replaced;
            }
        }

        foreach (var path in Objects(original, []))
        {
            var extended = original.DeepClone();
            var target = path.Length == 0 ? extended : Parent(extended, path)[path[^1]]!;
            target["unexpectedField"] = 1;
            yield return extended;
        }
    }

    private static IEnumerable<string[]> Paths(JsonObject node, string[] at)
    {
        foreach (var (name, value) in node)
        {
            string[] path = [.. at, name];
            yield return path;
            if (value is JsonObject inner)
            {
                foreach (var deeper in Paths(inner, path))
                {
                    yield return deeper;
                }
            }
        }
    }

    private static IEnumerable<string[]> Objects(JsonObject node, string[] at)
    {
        yield return at;
        foreach (var (name, value) in node)
        {
            if (value is JsonObject inner)
            {
                foreach (var deeper in Objects(inner, [.. at, name]))
                {
                    yield return deeper;
                }
            }
        }
    }

    private static JsonNode Parent(JsonNode root, string[] path) => path[..^1].Aggregate(root, (node, name) => node[name]!);
}
