using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Contracts;

/// <summary>The state of a client's contract at one moment, as the contract's owner sees it.</summary>
public sealed record ContractState
{
    /// <summary>The contract is active: the client may use the services.</summary>
    public bool IsActive { get; init; }

    /// <summary>The contract was concluded as a public offer (accepted online) rather than signed on paper.</summary>
    public bool IsOffer { get; init; }

    /// <summary>The client has accepted the offer.</summary>
    public bool OfferAccepted { get; init; }

    /// <summary>How the client pays: <c>prepaid</c> or <c>postpaid</c> (see <see cref="PaymentTypes"/>).</summary>
    [AllowedValues(PaymentTypes.Prepaid, PaymentTypes.Postpaid)]
    public required string PaymentType { get; init; }

    /// <summary>The services the contract covers, e.g. <c>taxi</c>, <c>cargo</c>.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Below this balance the contract is deactivated; <c>null</c> when not set.</summary>
    public decimal? DeactivateThreshold { get; init; }

    /// <summary>Below this balance the client is warned that the balance is low; <c>null</c> when not set.</summary>
    public decimal? LowBalanceThreshold { get; init; }

    /// <summary>The client wants low-balance warnings.</summary>
    public bool LowBalanceNotificationsEnabled { get; init; }
}
