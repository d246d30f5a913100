namespace CorpNotifier.Contracts;

/// <summary>The balance of a contract changed.</summary>
public sealed record BalanceChanged : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public required string ClientId { get; init; }

    /// <summary>The contract whose balance changed.</summary>
    public required string ContractId { get; init; }

    /// <summary>The balance before the change.</summary>
    public required decimal OldBalance { get; init; }

    /// <summary>The balance after the change.</summary>
    public required decimal NewBalance { get; init; }

    /// <summary>ISO 4217 currency code of both balances, e.g. <c>RUB</c>.</summary>
    public required string Currency { get; init; }
}
