using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Contracts;
using CorpNotifier.Notices;
using Json.Schema;

namespace CorpNotifier.Intake;

/// <summary>
/// An event broke the contract. On the bus it faults to the error queue; over HTTP it is a 400. An
/// expected outcome of bad input: its message names every reason, and it carries no stack trace
/// (into the log or the fault headers).
/// </summary>
public sealed class InvalidEventException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The event is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public override string? StackTrace => null;
}

/// <summary>
/// Whether an event may be processed, for every way in (HTTP, raw JSON and typed messages on the
/// bus), reporting every bad field at once under its wire path (e.g. <c>data.contractId</c>).
/// The shape is checked against the event type's JSON Schema — the same documents producers
/// validate against (<see cref="EventSchemas"/>) — so each shape rule is stated once; only what a
/// schema cannot say is checked here in code: an IANA time zone, a deliverable email address, a
/// plausible moment.
/// </summary>
public static class EventValidator
{
    public const int MaxIdLength = 128;

    /// <summary>An event older than this is a mistake (a default date, a unit error), not history.</summary>
    public static readonly DateTimeOffset EarliestOccurredAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the service's clock an event may claim to have happened (clock skew).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(24);

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private static readonly Lazy<FrozenDictionary<string, (JsonObject Source, JsonSchema Schema)>> Schemas = new(() =>
        EventTypes.ByName.Keys
            .Select(name => (Name: name, Source: EventSchemas.For(name)))
            .Append((Name: "", Source: EventSchemas.Envelope()))
            .ToFrozenDictionary(s => s.Name, s => (s.Source, Compile(s.Source)), StringComparer.Ordinal));

    /// <summary>Checks the shape of a wire-format event against its type's schema; an unknown type is reported with the envelope's other faults.</summary>
    public static IReadOnlyDictionary<string, string[]> ValidateShape(JsonElement wire)
    {
        var errors = new Errors();
        if (wire.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "the body must be a JSON object with eventId, type, occurredAt, clientId and data");
            return errors.Result;
        }

        var name = "";
        if (wire.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            if (EventTypes.ByName.ContainsKey(type.GetString()!))
            {
                name = type.GetString()!;
            }
            else
            {
                errors.Add("type", $"unknown event type '{type.GetString()}'; known types are {string.Join(", ", EventTypes.ByName.Keys)}");
            }
        }

        var (source, schema) = Schemas.Value[name];
        var results = schema.Evaluate(wire, Evaluation);
        if (!results.IsValid)
        {
            foreach (var detail in (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }))
            {
                foreach (var (keyword, message) in detail.Errors!)
                {
                    Describe(errors, source, wire, detail, keyword, message);
                }
            }

            if (errors.Count == 0)
            {
                errors.Add("$", "does not match the event's schema");
            }
        }

        return errors.Result;
    }

    /// <summary>The rules a schema cannot say, for an event of a valid shape. Without <paramref name="now"/> (a simulation on a virtual clock) the moment is not compared with a clock.</summary>
    public static IReadOnlyDictionary<string, string[]> ValidateMeaning(IEvent evt, DateTimeOffset? now)
    {
        var errors = new Errors();
        if (evt.OccurredAt < EarliestOccurredAt)
        {
            errors.Add("occurredAt", $"must not be before {EarliestOccurredAt:yyyy-MM-dd}");
        }
        else if (now is { } clock && evt.OccurredAt > clock + MaxClockSkew)
        {
            errors.Add("occurredAt", $"must not be more than {MaxClockSkew.TotalHours:0} hours ahead of the service's clock");
        }

        if (evt is ClientProfileChanged profile)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(profile.TimeZone, out _))
            {
                errors.Add("data.timeZone", "must be an IANA time zone, e.g. Europe/Moscow");
            }

            for (var i = 0; i < profile.Emails.Count; i++)
            {
                if (!EmailAddress.IsValid(profile.Emails[i]))
                {
                    errors.Add($"data.emails[{i}]", "is not an email address");
                }
            }
        }

        return errors.Result;
    }

    /// <summary>Both checks, for a typed event (from the bus, where C# producers publish contracts directly).</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(IEvent evt, DateTimeOffset now)
    {
        var shape = ValidateShape(JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(evt)));
        return shape.Count > 0 ? shape : ValidateMeaning(evt, now);
    }

    public static void ThrowIfInvalid(IEvent evt, DateTimeOffset now)
    {
        var errors = Validate(evt, now);
        if (errors.Count > 0)
        {
            throw new InvalidEventException(errors);
        }
    }

    private static JsonSchema Compile(JsonObject source) =>
        JsonSchema.Build(JsonSerializer.SerializeToElement(source), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>One schema fault in the words of the wire format.</summary>
    private static void Describe(Errors errors, JsonObject source, JsonElement wire, EvaluationResults detail, string keyword, string fallback)
    {
        var instance = Segments(detail.InstanceLocation.ToString());
        var evaluation = Segments(detail.EvaluationPath.ToString());
        var at = SchemaAt(source, evaluation);
        if (evaluation is [.., "additionalProperties"])
        {
            errors.Add(WirePath(instance), "is not a field of this event");
            return;
        }

        switch (keyword)
        {
            case "required":
                var value = ValueAt(wire, instance);
                foreach (var missing in at?["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (value is { ValueKind: JsonValueKind.Object } obj && !obj.TryGetProperty(missing, out _))
                    {
                        errors.Add(WirePath([.. instance, missing]), "is required");
                    }
                }

                break;
            case "type":
                errors.Add(WirePath(instance), $"has the wrong type: expected {Expected(at?["type"])}");
                break;
            case "const" when instance is ["type"]:
                break; // reported with the list of known types
            case "enum":
                var allowed = at?["enum"]?.AsArray().Select(v => v!.ToString()).ToList() ?? [];
                errors.Add(WirePath(instance), allowed.Count == 2 ? $"must be {allowed[0]} or {allowed[1]}" : $"must be one of {string.Join(", ", allowed)}");
                break;
            case "pattern":
                var pattern = at?["pattern"]?.GetValue<string>() ?? "";
                errors.Add(WirePath(instance), EventSchemas.PatternMessages.GetValueOrDefault(pattern, $"must match {pattern}"));
                break;
            case "maxLength":
                errors.Add(WirePath(instance), $"must be at most {at?["maxLength"]} characters");
                break;
            case "maxItems":
                errors.Add(WirePath(instance), $"must have at most {at?["maxItems"]} items");
                break;
            case "minimum" or "maximum":
                errors.Add(WirePath(instance), $"must be between {-EventSchemas.MaxAmount} and {EventSchemas.MaxAmount}");
                break;
            case "format" when FormatOf(at) == "date-time":
                errors.Add(WirePath(instance), "must be an ISO 8601 date-time with an offset, e.g. 2026-11-26T10:00:00Z");
                break;
            default:
                errors.Add(WirePath(instance), fallback);
                break;
        }
    }

    private static string? FormatOf(JsonObject? schema) => schema?["format"]?.GetValue<string>();

    /// <summary>JSON pointer segments (<c>/data/emails/1</c>) as a list, unescaped.</summary>
    private static string[] Segments(string pointer) =>
        pointer.Length <= 1
            ? []
            : pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    /// <summary>The schema object whose keyword failed (its evaluation path).</summary>
    private static JsonObject? SchemaAt(JsonObject source, string[] evaluation)
    {
        JsonNode? node = source;
        foreach (var segment in evaluation)
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }

        return node as JsonObject;
    }

    private static JsonElement? ValueAt(JsonElement wire, string[] instance)
    {
        var current = wire;
        foreach (var segment in instance)
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary><c>data.emails[1]</c> from <c>["data", "emails", "1"]</c>; <c>$</c> for the whole body.</summary>
    private static string WirePath(string[] segments)
    {
        if (segments.Length == 0)
        {
            return "$";
        }

        var path = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            if (int.TryParse(segment, out _) && path.Length > 0)
            {
                path.Append('[').Append(segment).Append(']');
            }
            else
            {
                path.Append(path.Length > 0 ? "." : "").Append(segment);
            }
        }

        return path.ToString();
    }

    private static string Expected(JsonNode? type)
    {
        var names = type switch
        {
            JsonValue value => [value.GetValue<string>()],
            JsonArray array => array.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList(),
            _ => new List<string>(),
        };
        var words = names.Select(n => n switch
        {
            "string" => "a string",
            "boolean" => "true or false",
            "number" or "integer" => "a number",
            "array" => "an array",
            "object" => "an object",
            _ => n,
        });
        return string.Join(" or ", words);
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public int Count => _errors.Count;

        public void Add(string path, string message)
        {
            if (!_errors.TryGetValue(path, out var list))
            {
                _errors[path] = list = [];
            }

            if (!list.Contains(message))
            {
                list.Add(message);
            }
        }

        public IReadOnlyDictionary<string, string[]> Result => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
