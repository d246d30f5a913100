namespace CorpNotifier.Contracts;

/// <summary>
/// Published by corp-notifier: the activation letter of a sales manager's request went out (it is
/// recorded as sent). Published once per request, with a stable message id, so a consumer can
/// de-duplicate a repeat.
/// </summary>
public sealed record ActivationEmailSent
{
    /// <summary>The manager's request whose activation letter went out.</summary>
    public required string RequestId { get; init; }

    /// <summary>The client it went to.</summary>
    public required string ClientId { get; init; }

    /// <summary>The letter in corp-notifier (<c>GET /api/v1/notices/{id}</c>).</summary>
    public required long NoticeId { get; init; }

    /// <summary>When the letter was recorded as sent.</summary>
    public required DateTimeOffset SentAt { get; init; }
}
