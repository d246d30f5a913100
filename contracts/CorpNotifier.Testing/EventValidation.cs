using System.Text;
using CorpNotifier.Contracts;
using CorpNotifier.Intake;

namespace CorpNotifier.Testing;

/// <summary>
/// corp-notifier's own validation of an event: the JSON Schema of its type (the shape: required
/// fields, codes, lengths, no control characters, no unknown field) and the rules a schema cannot
/// say (an IANA time zone, a deliverable email address, a plausible <c>OccurredAt</c>). It is the
/// code the service's intake runs, so an event valid here is not refused there for its content.
/// </summary>
/// <example>
/// <code>
/// foreach (var published in harness.Published.Select&lt;BalanceChanged&gt;())
/// {
///     EventValidation.EnsureValid(published.Context.Message);
/// }
/// </code>
/// </example>
public static class EventValidation
{
    /// <summary>
    /// What the service would refuse in the event, checked against the current clock: one entry per
    /// fault, as <c>wire.path: reason</c> (e.g. <c>data.currency: must be an ISO 4217 code of three
    /// capital letters, e.g. RUB</c>); empty when the event is valid.
    /// </summary>
    /// <param name="evt">The event as the producer publishes it.</param>
    public static IReadOnlyList<string> Validate(IEvent evt) => Validate(evt, DateTimeOffset.UtcNow);

    /// <summary>
    /// What the service would refuse in the event if it received it at <paramref name="now"/>
    /// (an <c>OccurredAt</c> more than 24 hours ahead of the service's clock is refused).
    /// </summary>
    /// <param name="evt">The event as the producer publishes it.</param>
    /// <param name="now">The service's clock when the event arrives.</param>
    public static IReadOnlyList<string> Validate(IEvent evt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return Flatten(EventValidator.Validate(evt, now));
    }

    /// <summary>
    /// What the service would refuse in an event in the wire format (the JSON body of
    /// <c>POST /api/v1/events</c> or of a raw message on <c>corp-notifier-events</c>), checked against
    /// the current clock; empty when the body is valid.
    /// </summary>
    /// <param name="json">The event's JSON: <c>{eventId, type, occurredAt, clientId, data}</c>.</param>
    public static IReadOnlyList<string> ValidateJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Flatten(EventEnvelopeReader.Read(Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow).Errors);
    }

    /// <summary>
    /// Throws <see cref="EventValidationException"/> when the service would refuse the event; its
    /// message is the one the service gives (the <c>MT-Fault-Message</c> of the error queue).
    /// </summary>
    /// <param name="evt">The event as the producer publishes it.</param>
    public static void EnsureValid(IEvent evt) => EnsureValid(evt, DateTimeOffset.UtcNow);

    /// <summary>As <see cref="EnsureValid(IEvent)"/>, for an event the service receives at <paramref name="now"/>.</summary>
    /// <param name="evt">The event as the producer publishes it.</param>
    /// <param name="now">The service's clock when the event arrives.</param>
    public static void EnsureValid(IEvent evt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var errors = EventValidator.Validate(evt, now);
        if (errors.Count > 0)
        {
            throw new EventValidationException(new InvalidEventException(errors).Message, Flatten(errors));
        }
    }

    /// <summary>The names of the event types the service accepts (the wire format's <c>type</c>).</summary>
    public static IReadOnlyCollection<string> EventTypeNames => [.. EventTypes.ByName.Keys];

    /// <summary>
    /// The JSON Schema of an event type's wire format, as the service serves it at
    /// <c>GET /api/v1/schemas/{type}</c>, for HTTP and raw JSON producers' own tests.
    /// </summary>
    /// <param name="eventType">The event type's name, e.g. <c>BalanceChanged</c>.</param>
    /// <exception cref="ArgumentException">The service knows no such event type.</exception>
    public static string Schema(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        if (!EventTypes.ByName.ContainsKey(eventType))
        {
            throw new ArgumentException($"unknown event type '{eventType}'; known types are {string.Join(", ", EventTypes.ByName.Keys)}", nameof(eventType));
        }

        using var stream = typeof(EventValidation).Assembly.GetManifestResourceStream($"schemas/{eventType}.schema.json")
            ?? throw new InvalidOperationException($"The schema of {eventType} is missing from the test kit.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string[] Flatten(IReadOnlyDictionary<string, string[]> errors) =>
        [.. errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))];
}
