using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Contracts;

namespace CorpNotifier.Intake;

/// <summary>The outcome of reading the wire format: an event, or errors keyed by wire path.</summary>
public sealed record EnvelopeReadResult(IEvent? Event, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Event is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the wire format (<c>{eventId, type, occurredAt, clientId, data}</c>) into the typed
/// contract, reporting every bad field at once (<see cref="EventValidator"/>). Used by the HTTP
/// intake, the raw JSON endpoint on the bus and the simulation, so all refuse the same things with
/// the same words.
/// </summary>
public static class EventEnvelopeReader
{
    /// <summary>Strict JSON: a key given twice is refused rather than silently resolved to one of its values.</summary>
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    /// <summary>Reads a body as it came over HTTP or the bus (UTF-8 JSON).</summary>
    public static EnvelopeReadResult Read(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        // Malformed JSON and a key given twice are told in a producer's words, with where they are.
        if (JsonSyntax.Check(body.Span, Strict.MaxDepth) is { } fault)
        {
            return new EnvelopeReadResult(null, new Dictionary<string, string[]> { [fault.Path] = [fault.Message] });
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Strict);
        }
        catch (JsonException ex)
        {
            return new EnvelopeReadResult(null, new Dictionary<string, string[]> { ["$"] = [$"malformed JSON: {ex.Message}"] });
        }
        catch (InvalidOperationException ex)
        {
            // Looking for duplicate keys reads every field name: one that is no text (an escaped
            // lone surrogate) cannot be read, and nothing in the body can be trusted to be where it seems.
            return new EnvelopeReadResult(null, new Dictionary<string, string[]> { ["$"] = [$"malformed JSON: {ex.Message}"] });
        }

        using (document)
        {
            return Read(document.RootElement, now);
        }
    }

    public static EnvelopeReadResult Read(JsonElement root, DateTimeOffset? now)
    {
        var shape = EventValidator.ValidateShape(root);
        if (shape.Count > 0)
        {
            return new EnvelopeReadResult(null, shape);
        }

        // The typed contract is the envelope's fields plus data's, flattened.
        var eventType = EventTypes.ByName[root.GetProperty("type").GetString()!];
        var flat = JsonNode.Parse(root.GetProperty("data").GetRawText())!.AsObject();
        foreach (var field in EventTypes.EnvelopeFields)
        {
            flat[field] = JsonNode.Parse(root.GetProperty(field).GetRawText());
        }

        IEvent evt;
        try
        {
            evt = (IEvent)flat.Deserialize(eventType, EventTypes.Json)!;
        }
        catch (JsonException ex)
        {
            // The schema admits nothing the contract cannot hold; this is a last guard, which
            // still names the field (the serializer's path is the flattened contract's).
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? EventTypes.WirePath(path[2..]) : "$";
            var reason = ex.Message.Split(" Path: ", 2)[0].TrimEnd('.');
            return new EnvelopeReadResult(null, new Dictionary<string, string[]> { [field] = [$"cannot be read as a field of {eventType.Name}: {reason}"] });
        }

        var meaning = EventValidator.ValidateMeaning(evt, root, now);
        return meaning.Count > 0 ? new EnvelopeReadResult(null, meaning) : new EnvelopeReadResult(evt, meaning);
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
}
