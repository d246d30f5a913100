using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Contracts;

/// <summary>
/// The reminders to accept the offer of a new prepaid contract: scheduled when the contract
/// arrives unaccepted, dequeued when the offer gets accepted, rejected at send time when the
/// contract has no taxi service.
/// </summary>
public abstract class OfferReminderRule : NoticeRule, IReactsTo<ContractChanged>
{
    public override NoticeCategory Category => NoticeCategory.Reminders;

    public override string CancelledBy => "dequeued when the offer gets accepted; rejected at send time if the contract has no taxi service";

    public override IReadOnlyList<string> SendChecks => [ReasonCodes.NoTaxiService];

    public override IReadOnlyList<string> Arguments => ContractTransition.ArgumentNames;

    /// <summary>Whether this reminder applies to the contract (all, paper contracts only, offers only).</summary>
    protected virtual bool AppliesTo(ContractTransition contract) => true;

    public IEnumerable<NoticeAction> On(ContractChanged evt, RuleContext context)
    {
        var contract = new ContractTransition(evt, context.Client);
        if (contract.NewPrepaidAwaitingAcceptance && AppliesTo(contract))
        {
            yield return Enqueue(context, evt.ContractId, contract.Args());
        }
        else if (!contract.IsNew && contract.OfferAccepted)
        {
            yield return Dequeue(evt.ContractId);
        }
    }

    public override SendCheck CheckBeforeSend(SendCheckContext context) => ContractChecks.TaxiService(context);
}
