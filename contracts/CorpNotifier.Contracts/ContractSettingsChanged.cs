namespace CorpNotifier.Contracts;

/// <summary>An operator blocked or unblocked a contract, giving a reason.</summary>
public sealed record ContractSettingsChanged : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public required string ClientId { get; init; }

    /// <summary>The contract.</summary>
    public required string ContractId { get; init; }

    /// <summary>Why: an id from the reasons list, e.g. <c>debt</c>, <c>notify</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>Before the change.</summary>
    public required ContractActivity Old { get; init; }

    /// <summary>After the change.</summary>
    public required ContractActivity New { get; init; }
}

/// <summary>Whether a contract may be used.</summary>
public sealed record ContractActivity
{
    /// <summary>The contract is active (not blocked).</summary>
    public required bool IsActive { get; init; }
}
