using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using CorpNotifier.Contracts;

namespace CorpNotifier.Intake;

/// <summary>The outcome of reading the wire format: an event, or errors keyed by wire path.</summary>
public sealed record EnvelopeReadResult(IEvent? Event, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Event is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the wire format (<c>{eventId, type, occurredAt, clientId, data}</c>, DESIGN.md) into the
/// typed contract, with one error per bad field. Used by the HTTP intake and the raw JSON
/// endpoint on the bus, so both refuse the same things with the same words.
/// </summary>
public static class EventEnvelopeReader
{
    public static EnvelopeReadResult Read(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("$", "the body must be a JSON object with eventId, type, occurredAt, clientId and data");
        }

        var eventId = RequiredString(root, "eventId", errors);
        var type = RequiredString(root, "type", errors);
        var occurredAt = RequiredString(root, "occurredAt", errors);
        var clientId = RequiredString(root, "clientId", errors);

        Type? eventType = null;
        if (type is not null && !EventTypes.ByName.TryGetValue(type, out eventType))
        {
            errors["type"] = [$"unknown event type '{type}'; known types are {string.Join(", ", EventTypes.ByName.Keys)}"];
        }

        if (occurredAt is not null && !DateTimeOffset.TryParse(occurredAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            errors["occurredAt"] = ["must be an ISO 8601 date-time with an offset, e.g. 2026-11-26T10:00:00Z"];
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null)
        {
            errors["data"] = ["is required"];
        }
        else if (data.ValueKind != JsonValueKind.Object)
        {
            errors["data"] = ["must be a JSON object"];
        }

        if (errors.Count > 0 || eventType is null)
        {
            return new EnvelopeReadResult(null, errors);
        }

        // The typed contract is the envelope's fields plus data's, flattened.
        var flat = JsonNode.Parse(data.GetRawText())!.AsObject();
        flat["eventId"] = eventId;
        flat["occurredAt"] = occurredAt;
        flat["clientId"] = clientId;

        CheckRequired(EventTypes.Json.GetTypeInfo(eventType), flat, "", errors);
        if (errors.Count > 0)
        {
            return new EnvelopeReadResult(null, errors);
        }

        IEvent evt;
        try
        {
            evt = (IEvent)flat.Deserialize(eventType, EventTypes.Json)!;
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 2 } p ? p[2..] : "data";
            return Fail(EventTypes.WirePath(path), $"has the wrong type: expected {Expected(eventType, path)}");
        }

        var semantic = EventValidator.Validate(evt);
        return semantic.Count > 0 ? new EnvelopeReadResult(null, semantic) : new EnvelopeReadResult(evt, errors);
    }

    /// <summary>The event back in the wire format (for storage and for raw JSON producers' examples).</summary>
    public static JsonObject Write(IEvent evt)
    {
        var flat = JsonSerializer.SerializeToNode(evt, evt.GetType(), EventTypes.Json)!.AsObject();
        var data = new JsonObject();
        foreach (var (name, value) in flat.ToList())
        {
            if (!EventTypes.EnvelopeFields.Contains(name))
            {
                flat.Remove(name);
                data[name] = value;
            }
        }

        return new JsonObject
        {
            ["eventId"] = evt.EventId,
            ["type"] = evt.GetType().Name,
            ["occurredAt"] = flat["occurredAt"]?.DeepClone(),
            ["clientId"] = evt.ClientId,
            ["data"] = data,
        };
    }

    private static EnvelopeReadResult Fail(string path, string message) =>
        new(null, new Dictionary<string, string[]> { [path] = [message] });

    private static string? RequiredString(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors[name] = ["is required"];
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["must be a string"];
            return null;
        }

        var text = value.GetString();
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[name] = ["must not be empty"];
            return null;
        }

        return text;
    }

    private static void CheckRequired(JsonTypeInfo info, JsonObject node, string prefix, Dictionary<string, string[]> errors)
    {
        foreach (var property in info.Properties)
        {
            var path = prefix + property.Name;
            if (!node.TryGetPropertyValue(property.Name, out var value))
            {
                if (property.IsRequired)
                {
                    errors[EventTypes.WirePath(path)] = ["is required"];
                }

                continue;
            }

            if (value is JsonObject child && IsObjectContract(property.PropertyType))
            {
                CheckRequired(EventTypes.Json.GetTypeInfo(property.PropertyType), child, path + ".", errors);
            }
        }
    }

    private static bool IsObjectContract(Type type) =>
        EventTypes.Json.GetTypeInfo(type).Kind == JsonTypeInfoKind.Object;

    private static string Expected(Type root, string path)
    {
        var type = root;
        foreach (var segment in path.Split('.'))
        {
            var name = segment.Split('[')[0];
            var property = EventTypes.Json.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                return "a value of another type";
            }

            type = property.PropertyType;
            if (segment.Contains('[', StringComparison.Ordinal) && type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            {
                type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? typeof(object);
            }
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(decimal) || type == typeof(int) || type == typeof(long) || type == typeof(double) => "a number",
            _ when type == typeof(DateTimeOffset) => "an ISO 8601 date-time",
            _ when type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "an array",
            _ => "an object",
        };
    }
}
