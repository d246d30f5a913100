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

    /// <summary>
    /// <c>format</c> is left an annotation: the library's date-time check throws on some strings
    /// (month 13, year 0) and admits forms the service cannot read (a space for the T, a leap
    /// second); <c>occurredAt</c> has a pattern instead, and whether its moment exists is checked here.
    /// </summary>
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    /// <summary>A yes or no only, which stops at the first fault: most events are valid, and only an invalid one needs the list of its faults.</summary>
    private static readonly EvaluationOptions Verdict = new() { OutputFormat = OutputFormat.Flag };

    /// <summary>How much of a producer's unknown value an error repeats.</summary>
    private const int MaxEcho = 64;

    private const string NotText = "is not valid text: invalid UTF-8 or a lone surrogate";

    /// <summary>Each type's schema as written, as the library built it, and its quick check (<see cref="QuickSchema"/>).</summary>
    private static readonly Lazy<FrozenDictionary<string, (JsonObject Source, JsonSchema Schema, QuickSchema? Quick)>> Schemas = new(() =>
        EventTypes.ByName.Keys
            .Select(name => (Name: name, Source: EventSchemas.For(name)))
            .Append((Name: "", Source: EventSchemas.Envelope()))
            .ToFrozenDictionary(s => s.Name, s => (s.Source, Compile(s.Source), QuickSchema.Compile(s.Source)), StringComparer.Ordinal));

    /// <summary>Checks the shape of a wire-format event against its type's schema; an unknown type is reported with the envelope's other faults.</summary>
    public static IReadOnlyDictionary<string, string[]> ValidateShape(JsonElement wire)
    {
        var errors = new Errors();
        if (wire.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "the body must be a JSON object with eventId, type, occurredAt, clientId and data");
            return errors.Result;
        }

        // A string the schema library cannot read (invalid UTF-8, a lone surrogate) would throw
        // inside it: such text is reported by itself.
        CheckText(wire, [], errors);
        if (errors.Count > 0)
        {
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
                errors.Add("type", $"unknown event type '{Echo(type.GetString()!)}'; known types are {string.Join(", ", EventTypes.ByName.Keys)}");
            }
        }

        // The quick check says yes to most events; the library is asked about the rest.
        var (source, schema, quick) = Schemas.Value[name];
        if (quick?.IsSurelyValid(wire) != true && !schema.Evaluate(wire, Verdict).IsValid)
        {
            var results = schema.Evaluate(wire, Evaluation);
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

        // The pattern says the form; whether the moment exists (no February 30, no 24:00, an
        // offset within ±14 hours, a year the service can hold) is for the reader the contract uses.
        if (wire.TryGetProperty("occurredAt", out var occurredAt) && occurredAt.ValueKind == JsonValueKind.String
            && !errors.Contains("occurredAt") && !occurredAt.TryGetDateTimeOffset(out _))
        {
            errors.Add("occurredAt", EventSchemas.DateTimeMessage);
        }

        return errors.Result;
    }

    /// <summary>
    /// The rules a schema cannot say, for an event of a valid shape (<paramref name="wire"/> is its
    /// wire format): a plausible moment, the fields whose row asks a check of code (an email
    /// address, an IANA time zone), and what one field imposes on another (the row's checks).
    /// Without <paramref name="now"/> (a simulation on a virtual clock) the moment is not compared with a clock.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ValidateMeaning(IEvent evt, JsonElement wire, DateTimeOffset? now)
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

        var type = EventTypes.Of(evt);
        foreach (var (path, limit) in type.Limits.Where(l => l.Value.Check != FieldCheck.None))
        {
            foreach (var (at, value) in ValuesAt(wire, path))
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var text = value.GetString()!;
                switch (limit.Check)
                {
                    case FieldCheck.Email when !EmailAddress.IsValid(text):
                        errors.Add(at, "is not an email address");
                        break;
                    case FieldCheck.TimeZone when !TimeZoneInfo.TryFindSystemTimeZoneById(text, out _):
                        errors.Add(at, "must be an IANA time zone, e.g. Europe/Moscow");
                        break;
                }
            }
        }

        foreach (var (path, message) in type.Checks(evt))
        {
            errors.Add(path, message);
        }

        return errors.Result;
    }

    /// <summary>The values at a wire path with <c>[]</c> for every item of an array, each with its own path (<c>data.emails[1]</c>).</summary>
    private static IEnumerable<(string Path, JsonElement Value)> ValuesAt(JsonElement wire, string path)
    {
        IEnumerable<(string Path, JsonElement Value)> current = [("", wire)];
        foreach (var segment in path.Split('.'))
        {
            var each = segment.EndsWith("[]", StringComparison.Ordinal);
            var name = each ? segment[..^2] : segment;
            current = current.SelectMany(c =>
            {
                if (c.Value.ValueKind != JsonValueKind.Object || !c.Value.TryGetProperty(name, out var child))
                {
                    return [];
                }

                var at = c.Path.Length == 0 ? name : $"{c.Path}.{name}";
                return each
                    ? child.ValueKind == JsonValueKind.Array ? child.EnumerateArray().Select((item, i) => ($"{at}[{i}]", item)) : []
                    : [(at, child)];
            }).ToList();
        }

        return current;
    }

    /// <summary>Both checks, for a typed event (from the bus, where C# producers publish contracts directly).</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(IEvent evt, DateTimeOffset now)
    {
        // A C# string may hold what JSON cannot (a lone surrogate), which writing the wire format
        // would quietly replace: such text is looked for in the event's own values first.
        var text = new Errors();
        CheckText(evt, evt.GetType(), [], text);
        if (text.Count > 0)
        {
            return text.Result;
        }

        var wire = JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(evt));
        var shape = ValidateShape(wire);
        return shape.Count > 0 ? shape : ValidateMeaning(evt, wire, now);
    }

    public static void ThrowIfInvalid(IEvent evt, DateTimeOffset now)
    {
        var errors = Validate(evt, now);
        if (errors.Count > 0)
        {
            throw new InvalidEventException(errors);
        }
    }

    /// <summary>A producer's value as an error repeats it: the start of it.</summary>
    private static string Echo(string value) => value.Length <= MaxEcho ? value : value[..MaxEcho] + "…";

    /// <summary>Every string and field name must be text: valid UTF-8, no lone UTF-16 surrogate (<c>"\uD800"</c>).</summary>
    private static void CheckText(JsonElement element, List<string> path, Errors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (!IsText(element))
                {
                    errors.Add(WirePath([.. path]), NotText);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string field;
                    try
                    {
                        field = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(WirePath([.. path]), "has a field name that " + NotText);
                        continue;
                    }

                    path.Add(field);
                    CheckText(property.Value, path, errors);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add((index++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    CheckText(item, path, errors);
                    path.RemoveAt(path.Count - 1);
                }

                break;
        }
    }

    /// <summary>
    /// As for the wire format, for the values of a typed event, read through the contract's JSON
    /// metadata (the names are the wire's, flattened: <see cref="EventTypes.WirePath"/> puts them under data).
    /// </summary>
    private static void CheckText(object? value, Type type, List<string> path, Errors errors)
    {
        switch (value)
        {
            case null:
                break;
            case string text:
                if (!IsText(text))
                {
                    errors.Add(path.Count == 0 ? "$" : EventTypes.WirePath(WirePath([.. path])), NotText);
                }

                break;
            case IEnumerable<string> items:
                var index = 0;
                foreach (var item in items)
                {
                    path.Add((index++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    CheckText(item, typeof(string), path, errors);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                var info = EventTypes.Json.GetTypeInfo(type);
                if (info.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
                {
                    foreach (var property in info.Properties.Where(p => p.Get is not null))
                    {
                        path.Add(property.Name);
                        CheckText(property.Get!(value), property.PropertyType, path, errors);
                        path.RemoveAt(path.Count - 1);
                    }
                }

                break;
        }
    }

    /// <summary>No lone UTF-16 surrogate: every high surrogate is followed by a low one, and every low one follows a high one.</summary>
    private static bool IsText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsText(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static JsonSchema Compile(JsonObject source) =>
        JsonSchema.Build(JsonSerializer.SerializeToElement(source), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>One schema fault in the words of the wire format.</summary>
    private static void Describe(Errors errors, JsonObject source, JsonElement wire, EvaluationResults detail, string keyword, string fallback)
    {
        var instance = Segments(detail.InstanceLocation.ToString());
        var evaluation = Segments(detail.EvaluationPath.ToString());
        var at = SchemaOf(source, instance);
        if (evaluation is [.., "additionalProperties"] || (at is null && instance.Length > 0 && SchemaOf(source, instance[..^1])?["properties"] is JsonObject known && !known.ContainsKey(instance[^1])))
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
                // A nullable code's enum holds null too: absent is fine, so the message names the codes.
                var allowed = at?["enum"]?.AsArray().OfType<JsonNode>().Select(v => v.ToString()).ToList() ?? [];
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
            default:
                errors.Add(WirePath(instance), fallback);
                break;
        }
    }

    /// <summary>JSON pointer segments (<c>/data/emails/1</c>) as a list, unescaped.</summary>
    private static string[] Segments(string pointer) =>
        pointer.Length <= 1
            ? []
            : pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    /// <summary>
    /// The schema of the value at an instance location: a field's in <c>properties</c>, an item's in
    /// <c>items</c>. Found from the instance rather than the library's evaluation path, which is
    /// wrong for array items (<c>…/items/items</c>).
    /// </summary>
    private static JsonObject? SchemaOf(JsonObject source, string[] instance)
    {
        JsonObject? schema = source;
        foreach (var segment in instance)
        {
            schema = schema?["properties"] is JsonObject properties
                ? properties[segment] as JsonObject
                : schema?["items"] is JsonObject items && int.TryParse(segment, out _) ? items : null;
        }

        return schema;
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

        public bool Contains(string path) => _errors.ContainsKey(path);

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
