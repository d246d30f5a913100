using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using RabbitMQ.Client;

namespace CorpNotifier.Operations;

/// <summary>
/// One message read from an error queue: its AMQP properties and body as they were, and what
/// MassTransit wrote about the fault in its <c>MT-Fault-*</c> headers.
/// </summary>
public sealed class FaultedMessage
{
    /// <summary>When the message first faulted: kept across replays, which drop the <c>MT-Fault-*</c> headers.</summary>
    public const string FirstFaultHeader = "CorpNotifier-First-Fault-Timestamp";

    /// <summary>How many times an operator replayed the message.</summary>
    public const string ReplayCountHeader = "CorpNotifier-Replay-Count";

    private readonly Lazy<JsonNode?> _json;

    public FaultedMessage(string queue, int position, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        Queue = queue;
        Position = position;
        // Detached copies: the client's buffers are not ours once the message is handed back.
        Properties = new BasicProperties(properties)
        {
            Headers = properties.Headers is null ? null : new Dictionary<string, object?>(properties.Headers, StringComparer.Ordinal),
        };
        Body = body.ToArray();
        _json = new Lazy<JsonNode?>(ParseJson);
    }

    public string Queue { get; }

    /// <summary>1 for the message at the head of the queue.</summary>
    public int Position { get; }

    public IReadOnlyBasicProperties Properties { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public string? MessageId => Properties.MessageId;

    public string? ExceptionType => Header(MessageHeaders.FaultExceptionType);

    /// <summary>The exception's message, on one line.</summary>
    public string? Reason => Header(MessageHeaders.FaultMessage) is { } message ? OneLine(message) : null;

    public DateTimeOffset? FaultedAt => Time(Header(MessageHeaders.FaultTimestamp));

    public DateTimeOffset? FirstFaultedAt => Time(Header(FirstFaultHeader)) ?? FaultedAt;

    public int Replays => int.TryParse(Header(ReplayCountHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 0;

    /// <summary>The endpoint the message faulted on, e.g. <c>rabbitmq://host/vhost/corp-notifier-events</c>.</summary>
    public string? InputAddress => Header(MessageHeaders.FaultInputAddress);

    public IReadOnlyList<string> StackTrace =>
        Header(MessageHeaders.FaultStackTrace)?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>
    /// What the message is: MassTransit's message type (header or envelope), the AMQP type, the
    /// wire-format event's <c>type</c>, or the type the consumer faulted on.
    /// </summary>
    public string MessageType =>
        Header(MessageHeaders.MessageType)
        ?? (Json?["messageType"] is JsonArray { Count: > 0 } types ? types[0]?.ToString() : null)
        ?? NonEmpty(Properties.Type)
        ?? (Json?["type"] is JsonValue type && type.TryGetValue<string>(out var wire) ? $"event {wire}" : null)
        ?? Header(MessageHeaders.FaultMessageType)
        ?? "unknown";

    /// <summary>The body as JSON, or null when it is not JSON.</summary>
    public JsonNode? Json => _json.Value;

    public IEnumerable<KeyValuePair<string, object?>> Headers =>
        Properties.Headers?.OrderBy(h => h.Key, StringComparer.Ordinal) ?? Enumerable.Empty<KeyValuePair<string, object?>>();

    /// <summary>A header as text (AMQP carries strings as bytes), or null when absent.</summary>
    public string? Header(string name) =>
        Properties.Headers is { } headers && headers.TryGetValue(name, out var value) && value is not null ? HeaderText(value) : null;

    /// <summary>
    /// The properties to send the message back to its queue with: everything it came with
    /// (message id, content type, <c>MT-MessageType</c>, other headers) except what describes the
    /// fault (<c>MT-Fault-*</c>, <c>MT-Reason</c>), plus when it first faulted and how often it was replayed.
    /// </summary>
    public BasicProperties ReplayProperties()
    {
        var headers = Headers.Where(h => !IsFaultHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
        if (!headers.ContainsKey(FirstFaultHeader) && Properties.Headers?.TryGetValue(MessageHeaders.FaultTimestamp, out var faulted) == true && faulted is not null)
        {
            headers[FirstFaultHeader] = faulted;
        }

        headers[ReplayCountHeader] = Replays + 1;
        return new BasicProperties(Properties)
        {
            Headers = headers,
            // The broker refuses a user_id other than the connection's own user.
            UserId = null,
        };
    }

    public static bool IsFaultHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, MessageHeaders.Reason, StringComparison.OrdinalIgnoreCase);

    public static string HeaderText(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        AmqpTimestamp timestamp => DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime).ToString("u", CultureInfo.InvariantCulture),
        IDictionary table => "{" + string.Join(", ", table.Keys.Cast<object>().Select(k => $"{k}: {HeaderText(table[k])}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(HeaderText)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUniversalTime() : null;

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private JsonNode? ParseJson()
    {
        try
        {
            return JsonNode.Parse(Body.Span);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
