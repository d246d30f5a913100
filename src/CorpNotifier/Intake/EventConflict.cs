using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;

namespace CorpNotifier.Intake;

/// <summary>A field of an event that differs between the stored event and another with the same id, by wire path, with both values.</summary>
public sealed record FieldDifference(string Path, JsonNode? Stored, JsonNode? Received);

/// <summary>
/// The same <c>eventId</c> with a different body: a producer reused an id for another fact. The
/// stored event stays as it was, and the new one is refused (HTTP 409; on the bus a fault to the
/// queue's <c>_error</c>) rather than dropped unnoticed as a repeat.
/// </summary>
public sealed record EventConflict(string EventId, string EventType, IReadOnlyList<FieldDifference> Differences)
{
    /// <summary>How much of a value the reason repeats.</summary>
    private const int MaxEcho = 64;

    /// <summary>
    /// The fields in which <paramref name="received"/> differs from the stored event, compared as it
    /// is stored: the wire format with secrets masked. So secrets (Fernet tokens) are not compared,
    /// on purpose: the same password encrypted again is another token. Numbers compare by value
    /// (<c>5</c> and <c>5.0</c>) and moments by instant (<c>10:00Z</c> and <c>13:00+03:00</c>);
    /// an absent field and <c>null</c> are the same. Empty when the bodies are the same event.
    /// </summary>
    public static IReadOnlyList<FieldDifference> Compare(string storedPayload, IEvent received)
    {
        var stored = JsonNode.Parse(storedPayload);
        var incoming = EventSecrets.Mask(EventEnvelopeReader.Write(received));
        var differences = new List<FieldDifference>();
        Compare(stored, incoming, "", differences);
        return differences;
    }

    /// <summary>The reason as the fault and the log give it: the paths, each with both values shortened and addresses masked.</summary>
    public string Reason =>
        $"Event {EventId} ({EventType}) was received before with a different body; an eventId names one event, so this one was not processed. "
        + "Differences: " + string.Join("; ", Differences.Select(d => $"{d.Path}: {Echo(d.Stored)} before, {Echo(d.Received)} now"));

    /// <summary>The differing paths only (for a log line: no values, so no address and no secret).</summary>
    public string Paths => string.Join(", ", Differences.Select(d => d.Path));

    private static string Echo(JsonNode? value)
    {
        var text = value is null ? "null" : EmailAddress.MaskAll(value.ToJsonString(AppJson.Options));
        return text.Length <= MaxEcho ? text : text[..MaxEcho] + "…";
    }

    private static void Compare(JsonNode? stored, JsonNode? received, string path, List<FieldDifference> differences)
    {
        switch (stored, received)
        {
            case (JsonObject a, JsonObject b):
                foreach (var name in a.Select(p => p.Key).Union(b.Select(p => p.Key), StringComparer.Ordinal))
                {
                    Compare(a[name], b[name], path.Length == 0 ? name : $"{path}.{name}", differences);
                }

                break;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    Compare(i < a.Count ? a[i] : null, i < b.Count ? b[i] : null, $"{path}[{i}]", differences);
                }

                break;
            default:
                if (!SameValue(stored, received))
                {
                    differences.Add(new FieldDifference(path.Length == 0 ? "$" : path, stored?.DeepClone(), received?.DeepClone()));
                }

                break;
        }
    }

    private static bool SameValue(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is not JsonValue x || b is not JsonValue y || x.GetValueKind() != y.GetValueKind())
        {
            return false;
        }

        return x.GetValueKind() switch
        {
            JsonValueKind.Number => decimal.TryParse(x.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
                && decimal.TryParse(y.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                    ? m == n
                    : x.ToJsonString() == y.ToJsonString(),
            JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>()
                || (Moment(x.GetValue<string>()) is { } p && Moment(y.GetValue<string>()) is { } q && p == q),
            _ => JsonNode.DeepEquals(a, b),
        };
    }

    /// <summary>The instant a date-time with an offset names, for text in that form only.</summary>
    private static DateTimeOffset? Moment(string text) =>
        text.Length >= 20 && text[4] == '-' && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)
            ? moment
            : null;
}

/// <summary>An event refused because its id names another event (<see cref="EventConflict"/>): a fault with the reason, never retried.</summary>
public sealed class EventConflictException(EventConflict conflict) : Exception(conflict.Reason)
{
    public EventConflict Conflict { get; } = conflict;

    /// <summary>An expected outcome of a producer's mistake: one line, no stack trace.</summary>
    public override string? StackTrace => null;
}

/// <summary>How a conflict is told to ops, alike over HTTP and on the bus: a warning line and the conflicts counter.</summary>
internal static partial class EventConflictLog
{
    public static void Report(ILogger logger, NotifierMetrics metrics, EventConflict conflict, string way)
    {
        LogConflict(logger, conflict.EventId, conflict.EventType, way, conflict.Paths);
        metrics.EventConflicted(conflict.EventType);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} ({EventType}) refused ({Way}): its eventId was received before with a different body; these fields differ: {Fields}")]
    private static partial void LogConflict(ILogger logger, string eventId, string eventType, string way, string fields);
}
