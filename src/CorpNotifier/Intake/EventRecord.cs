namespace CorpNotifier.Intake;

/// <summary>One received event. The primary key is the producer's idempotency key.</summary>
public sealed class EventRecord
{
    public required string EventId { get; set; }

    public required string Type { get; set; }

    /// <summary>The client the event is about; <c>null</c> only for a manager's request that belongs to no client yet.</summary>
    public string? ClientId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The event as JSON.</summary>
    public required string Payload { get; set; }

    /// <summary>What processing did, e.g. <c>enqueued 2, dequeued 1</c>.</summary>
    public string? Outcome { get; set; }
}
