namespace CorpNotifier.Contracts;

/// <summary>
/// The envelope every event carries: who produced which fact about which client, and when.
/// </summary>
public interface IEvent
{
    /// <summary>The producer's idempotency key (at most 128 characters). The same id delivered twice acts once.</summary>
    string EventId { get; }

    /// <summary>When the fact happened at the producer (UTC).</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>
    /// The corporate client the event is about. Always given, except by
    /// <see cref="ManagerRequestStatusChanged"/>, whose request may not belong to a client yet.
    /// </summary>
    string? ClientId { get; }
}
