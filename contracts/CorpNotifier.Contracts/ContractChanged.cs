namespace CorpNotifier.Contracts;

/// <summary>A contract was created (<see cref="Old"/> is <c>null</c>) or its state changed.</summary>
public sealed record ContractChanged : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public required string ClientId { get; init; }

    /// <summary>The contract's id in the contract owner's service.</summary>
    public required string ContractId { get; init; }

    /// <summary>The contract's number as the client knows it (shown in letters).</summary>
    public string? ExternalId { get; init; }

    /// <summary>The state before the change; <c>null</c> for a new contract.</summary>
    public ContractState? Old { get; init; }

    /// <summary>The state after the change.</summary>
    public required ContractState New { get; init; }

    /// <summary>
    /// A one-time password for the client's corporate cabinet, when activating the contract created
    /// one; <c>null</c> otherwise. A secret: it reaches the activation letter and is masked in
    /// corp-notifier's storage (the event's payload at once, the letter's arguments once sent).
    /// </summary>
    public string? TemporaryPassword { get; init; }
}
