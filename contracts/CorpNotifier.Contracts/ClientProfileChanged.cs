namespace CorpNotifier.Contracts;

/// <summary>A client's profile was created or changed: name, country, language, time zone, emails.</summary>
public sealed record ClientProfileChanged : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public required string ClientId { get; init; }

    /// <summary>The client's company name as shown in letters.</summary>
    public required string Name { get; init; }

    /// <summary>The client's country as a lower-case ISO 3166 alpha-3 code, e.g. <c>rus</c>, <c>kaz</c>.</summary>
    public required string Country { get; init; }

    /// <summary>The language of the client's letters, e.g. <c>ru</c>, <c>en</c>.</summary>
    public required string Locale { get; init; }

    /// <summary>The client's IANA time zone, e.g. <c>Europe/Moscow</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The addresses letters go to; may be empty.</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];
}
