using CorpNotifier.Clients;
using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Contracts;

/// <summary>A contract event seen as the transition from its old state to its new one.</summary>
public sealed record ContractTransition(ContractChanged Event, ClientProfile? Client)
{
    public const string Taxi = "taxi";
    public const string Cargo = "cargo";

    private ContractState New => Event.New;

    private ContractState? Old => Event.Old;

    public bool IsNew => Old is null;

    public bool IsPrepaid => New.PaymentType == PaymentTypes.Prepaid;

    public bool IsPostpaid => New.PaymentType == PaymentTypes.Postpaid;

    public bool IsOffer => New.IsOffer;

    /// <summary>A new prepaid contract whose offer is not accepted yet: the reminders start.</summary>
    public bool NewPrepaidAwaitingAcceptance => IsNew && IsPrepaid && !New.OfferAccepted;

    /// <summary>The offer was accepted: false → true, or a new contract that arrives accepted.</summary>
    public bool OfferAccepted => New.OfferAccepted && (Old is null || !Old.OfferAccepted);

    /// <summary>The contract became active: false or absent → true.</summary>
    public bool BecameActive => New.IsActive && (Old is null || !Old.IsActive);

    public bool Has(string service) => New.Services.Any(s => string.Equals(s, service, StringComparison.OrdinalIgnoreCase));

    /// <summary>The arguments every contract notice carries.</summary>
    public Dictionary<string, object?> Args() => new()
    {
        ["contract_id"] = Event.ContractId,
        ["external_id"] = Event.ExternalId,
        ["client_name"] = Client?.Name,
    };

    public static IReadOnlyList<string> ArgumentNames { get; } = ["contract_id", "external_id", "client_name"];
}

/// <summary>Send-time checks shared by the contract notices.</summary>
public static class ContractChecks
{
    public static SendCheck TaxiService(SendCheckContext context) =>
        context.Contract is { } contract && contract.HasService(ContractTransition.Taxi)
            ? SendCheck.Pass
            : SendCheck.Reject(ReasonCodes.NoTaxiService, $"contract {context.ContractId} has no taxi service");

    public static SendCheck NoSuccessfulOrderYet(SendCheckContext context) =>
        context.Client is { HasSuccessfulOrder: true }
            ? SendCheck.Reject(ReasonCodes.HasSuccessfulOrder, "the client already has a successful order")
            : SendCheck.Pass;
}
