using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.ContractSettings;

/// <summary>
/// An operator blocked or unblocked a contract, giving a reason: the client is told, in the words
/// of its service — Cargo when the contract's services (from the client directory) have cargo and
/// not taxi, Taxi otherwise (also when the contract is not known). A change that changes nothing
/// (blocked → blocked) sends nothing. The reason goes in as the producer's code (<c>debt</c>), as the
/// mail service's campaigns take it; <c>is_active</c> (the new state) is ours, for the templates that
/// say "blocked" or "unblocked", and the campaigns ignore it.
/// </summary>
public abstract class ContractActivateRule : NoticeRule, IReactsTo<ContractSettingsChanged>
{
    public override NoticeCategory Category => NoticeCategory.Contract;

    /// <summary>This letter is the cargo one.</summary>
    protected abstract bool IsCargo { get; }

    public override string Trigger => IsCargo
        ? "ContractSettingsChanged, either direction, for a contract with cargo and without taxi"
        : "ContractSettingsChanged, either direction, for any other contract";

    public override IReadOnlyList<string> Arguments => ["reason", "external_contract_id", "is_active"];

    /// <summary>A letter stored before <c>is_active</c> was added has none: its templates then say only that the status changed.</summary>
    public override IReadOnlySet<string> OptionalArguments => new HashSet<string> { "external_contract_id", "is_active" };

    public IEnumerable<NoticeAction> On(ContractSettingsChanged evt, RuleContext context)
    {
        var services = context.Contract?.State.Services ?? [];
        var cargoOnly = services.Contains(CorpNotifier.Contracts.Services.Cargo, StringComparer.OrdinalIgnoreCase)
            && !services.Contains(CorpNotifier.Contracts.Services.Taxi, StringComparer.OrdinalIgnoreCase);
        if (evt.Old.IsActive != evt.New.IsActive && cargoOnly == IsCargo)
        {
            yield return Enqueue(context, evt.ContractId, new Dictionary<string, object?>
            {
                ["reason"] = evt.Reason,
                ["external_contract_id"] = context.Contract?.ExternalId ?? "",
                ["is_active"] = evt.New.IsActive,
            });
        }
    }
}

/// <summary>A taxi (or any non-cargo-only) contract was blocked or unblocked.</summary>
public sealed class TaxiContractActivateNotice : ContractActivateRule
{
    protected override bool IsCargo => false;
}

/// <summary>A cargo-only contract was blocked or unblocked.</summary>
public sealed class CargoContractActivateNotice : ContractActivateRule
{
    protected override bool IsCargo => true;
}
