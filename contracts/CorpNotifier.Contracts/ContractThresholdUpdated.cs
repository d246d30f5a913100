using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Contracts;

/// <summary>A contract's credit threshold changed.</summary>
public sealed record ContractThresholdUpdated : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public required string ClientId { get; init; }

    /// <summary>The contract.</summary>
    public required string ContractId { get; init; }

    /// <summary>Before the change.</summary>
    public required CreditThreshold Old { get; init; }

    /// <summary>After the change.</summary>
    public required CreditThreshold New { get; init; }
}

/// <summary>A contract's credit threshold.</summary>
public sealed record CreditThreshold
{
    /// <summary>The amount, when set.</summary>
    public decimal? Threshold { get; init; }

    /// <summary><c>standard</c>, <c>quasi</c> or <c>big_quasi</c> (see <see cref="ThresholdTypes"/>), when set.</summary>
    [AllowedValues(ThresholdTypes.Standard, ThresholdTypes.Quasi, ThresholdTypes.BigQuasi)]
    public string? ThresholdType { get; init; }
}
