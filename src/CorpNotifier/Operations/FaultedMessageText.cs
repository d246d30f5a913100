using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Intake;
using MassTransit;

namespace CorpNotifier.Operations;

/// <summary>
/// How the error commands print a faulted message: one line in a list, or in full. Everything the
/// producer chose is escaped for the terminal (<see cref="TerminalText"/>).
/// </summary>
public static class FaultedMessageText
{
    private const int StackTraceLines = 5;

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        // Names and addresses in Cyrillic stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Headers <see cref="Details"/> prints by name; the rest follow as they are.</summary>
    private static readonly HashSet<string> Described = new(StringComparer.Ordinal)
    {
        MessageHeaders.FaultExceptionType,
        MessageHeaders.FaultMessage,
        MessageHeaders.FaultTimestamp,
        MessageHeaders.FaultInputAddress,
        MessageHeaders.FaultStackTrace,
        MessageHeaders.FaultConsumerType,
        FaultedMessage.FirstFaultHeader,
        FaultedMessage.ReplayCountHeader,
    };

    /// <summary><c>id  first-fault time  type  exception: reason</c>.</summary>
    public static string Line(FaultedMessage message) =>
        TerminalText.Escape($"  {message.MessageId ?? "(no id)"}  {Time(message.FirstFaultedAt)}  {message.MessageType}  {Fault(message)}");

    public static string Details(FaultedMessage message, uint queueCount)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{TerminalText.Escape(message.Queue)}, message {message.Position} of {queueCount}");
        Field(text, "message id", message.MessageId ?? "(no id)");
        Field(text, "message type", message.MessageType);
        Field(text, "exception", message.ExceptionType ?? "(none)");
        Field(text, "reason", message.Reason ?? "(none)");
        Field(text, "faulted at", Time(message.FaultedAt));
        Field(text, "first fault", Time(message.FirstFaultedAt));
        Field(text, "replays", message.Replays.ToString(CultureInfo.InvariantCulture));
        Field(text, "input address", message.InputAddress ?? ServiceQueues.SourceOf(message.Queue));
        Field(text, "consumer", message.Header(MessageHeaders.FaultConsumerType) ?? "(unknown)");
        Field(text, "content type", message.Properties.ContentType ?? "(none)");
        var stack = message.StackTrace;
        foreach (var (line, index) in stack.Take(StackTraceLines).Select((l, i) => (l, i)))
        {
            Field(text, index == 0 ? "stack trace" : "", line);
        }

        if (stack.Count > StackTraceLines)
        {
            Field(text, "", $"({stack.Count - StackTraceLines} more lines)");
        }

        text.AppendLine("headers");
        foreach (var (name, value) in message.Headers.Where(h => !Described.Contains(h.Key)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {TerminalText.Escape(name)}: {TerminalText.Escape(FaultedMessage.HeaderText(value))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"body ({message.Body.Length} bytes)");
        text.AppendLine(TerminalText.EscapeLines(Body(message)));
        return text.ToString();
    }

    /// <summary>The body: indented JSON with secrets masked, else text, else its size.</summary>
    public static string Body(FaultedMessage message)
    {
        if (message.Json is { } json)
        {
            return Mask(json.DeepClone()).ToJsonString(Pretty);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message.Body.Span);
        }
        catch (DecoderFallbackException)
        {
            return $"({message.Body.Length} bytes that are not text)";
        }
    }

    /// <summary>
    /// Masks secrets as <see cref="EventSecrets"/> does before an event is stored: in a wire-format
    /// event (<c>{type, data}</c>), and in a MassTransit envelope around a typed event.
    /// </summary>
    public static JsonNode Mask(JsonNode body)
    {
        if (body is not JsonObject json)
        {
            return body;
        }

        if (json["type"] is JsonValue type && type.TryGetValue<string>(out _) && json["data"] is JsonObject)
        {
            return EventSecrets.Mask(json);
        }

        if (json["message"] is JsonObject message && json["messageType"] is JsonArray types)
        {
            // urn:message:CorpNotifier.Contracts:ContractChanged → ContractChanged
            var fields = types.Select(t => t?.ToString().Split(':')[^1])
                .SelectMany(name => name is not null && EventSecrets.DataFields.TryGetValue(name, out var secret) ? secret : []);
            foreach (var field in fields.Where(f => message[f] is not null))
            {
                message[field] = Hosting.Secret.Masked;
            }
        }

        return json;
    }

    private static string Fault(FaultedMessage message) =>
        (message.ExceptionType, message.Reason) switch
        {
            (null, null) => "(no fault headers)",
            (var type, null) => type!,
            (null, var reason) => reason!,
            var (type, reason) => $"{type}: {reason}",
        };

    private static string Time(DateTimeOffset? time) =>
        time?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "(time unknown)";

    private static void Field(StringBuilder text, string name, string value) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-14} {TerminalText.Escape(value)}");
}
