namespace CorpNotifier.Intake;

/// <summary>Where a received event stands.</summary>
public enum EventStatus
{
    /// <summary>The rules ran: what they did is in <see cref="EventRecord.Outcome"/>.</summary>
    Processed,

    /// <summary>
    /// Parked: the client's profile or the contract it needs is not known yet. It runs the moment
    /// the missing data arrives (or a periodic retry finds it), and ends <see cref="Expired"/> after
    /// <c>Intake:MaxWait</c>.
    /// </summary>
    Waiting,

    /// <summary>Waited <c>Intake:MaxWait</c> and the data never came; an operator may re-run it once it has.</summary>
    Expired,

    /// <summary>An operator decided the event is not to be processed.</summary>
    Discarded,
}

/// <summary>The data a parked event waits for.</summary>
public enum MissingData
{
    /// <summary>The client's profile (<see cref="EventRecord.MissingId"/> is the client id).</summary>
    Client,

    /// <summary>A contract (<see cref="EventRecord.MissingId"/> is the contract id).</summary>
    Contract,
}

/// <summary>One received event. The primary key is the producer's idempotency key.</summary>
public sealed class EventRecord
{
    public required string EventId { get; set; }

    public required string Type { get; set; }

    /// <summary>The client the event is about; <c>null</c> only for a manager's request that belongs to no client yet.</summary>
    public string? ClientId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The event as JSON, its secrets masked.</summary>
    public required string Payload { get; set; }

    /// <summary>What processing did, e.g. <c>enqueued 2, dequeued 1</c>; or what a parked event waits for.</summary>
    public string? Outcome { get; set; }

    public EventStatus Status { get; set; } = EventStatus.Processed;

    /// <summary>What a parked (waiting or expired) event lacks; <c>null</c> once processed.</summary>
    public MissingData? Missing { get; set; }

    /// <summary>The id of the client or contract a parked event lacks.</summary>
    public string? MissingId { get; set; }

    /// <summary>When a parked event was last tried again (by a directory write, the periodic retry, an operator or a re-sent delivery).</summary>
    public DateTimeOffset? RetriedAt { get; set; }

    /// <summary>
    /// A parked event as it came, secrets included (they are Fernet tokens, as letters keep them),
    /// to run it later; cleared when the event is processed or discarded.
    /// </summary>
    public string? ParkedPayload { get; set; }
}
