using System.Globalization;
using CorpNotifier.Clients;
using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Balance;

/// <summary>A balance change seen against the contract's thresholds.</summary>
public sealed record BalanceMovement(
    BalanceChanged Event,
    ContractProfile Contract)
{
    private decimal? Low => Contract.State.LowBalanceThreshold;

    private decimal? Deactivation => Contract.State.DeactivateThreshold;

    /// <summary>From at or above the deactivation threshold to below it.</summary>
    public bool CrossedBelowDeactivation =>
        Deactivation is { } d && Event.OldBalance >= d && Event.NewBalance < d;

    /// <summary>From below the deactivation threshold back to at or above it.</summary>
    public bool CrossedBackAboveDeactivation =>
        Deactivation is { } d && Event.OldBalance < d && Event.NewBalance >= d;

    /// <summary>From at or above the low-balance threshold to below it.</summary>
    public bool CrossedBelowLow =>
        Low is { } l && Event.OldBalance >= l && Event.NewBalance < l;

    public bool LowBalanceNotificationsEnabled => Contract.State.LowBalanceNotificationsEnabled;

    /// <summary>The arguments every balance notice carries.</summary>
    public IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?>
    {
        ["contract_id"] = Event.ContractId,
        ["external_id"] = Contract.ExternalId,
        ["old_balance"] = Event.OldBalance.ToString(CultureInfo.InvariantCulture),
        ["new_balance"] = Event.NewBalance.ToString(CultureInfo.InvariantCulture),
        ["currency"] = Event.Currency,
    };

    public static IReadOnlyList<string> ArgumentNames { get; } =
        ["contract_id", "external_id", "old_balance", "new_balance", "currency"];

    /// <summary>The movement, or <c>null</c> when the contract is unknown (no thresholds, nothing to say).</summary>
    public static BalanceMovement? Of(BalanceChanged evt, RuleContext context) =>
        context.Contract is { } contract && contract.ContractId == evt.ContractId ? new(evt, contract) : null;
}
