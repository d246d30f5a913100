namespace CorpNotifier.Notices;

/// <summary>
/// A cancellation that happened (table <c>dequeue_marks</c>): event <see cref="EventId"/>, true at
/// <see cref="OccurredAt"/>, cancels the client's letters of <see cref="Kind"/> (for one contract, or
/// any when <see cref="ContractId"/> is null). A letter that an earlier event creates after this mark
/// was processed — events of different types travel on different queues — is created already dequeued.
/// </summary>
public sealed class DequeueMark
{
    public long Id { get; set; }

    public required string ClientId { get; set; }

    public string? ContractId { get; set; }

    public required string Kind { get; set; }

    public required string EventId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
