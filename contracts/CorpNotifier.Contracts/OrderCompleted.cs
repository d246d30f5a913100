namespace CorpNotifier.Contracts;

/// <summary>A client's order (a ride, a delivery) was completed successfully.</summary>
public sealed record OrderCompleted : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public required string ClientId { get; init; }

    /// <summary>The order's id in the ordering service.</summary>
    public required string OrderId { get; init; }

    /// <summary>The service the order used, e.g. <c>taxi</c>, <c>cargo</c>.</summary>
    public required string Service { get; init; }
}
