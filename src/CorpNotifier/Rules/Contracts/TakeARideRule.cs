using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Contracts;

/// <summary>
/// The nudges to take a first ride: dequeued by any completed order, rejected at send time when
/// the client already has a successful order or the contract has no taxi service.
/// </summary>
public abstract class TakeARideRule : NoticeRule, IReactsTo<ContractChanged>, IReactsTo<OrderCompleted>
{
    public override NoticeCategory Category => NoticeCategory.Onboarding;

    public override string CancelledBy =>
        "dequeued by OrderCompleted; rejected at send time if the client already has a successful order or the contract has no taxi service";

    public override IReadOnlyList<string> SendChecks => [ReasonCodes.NoTaxiService, ReasonCodes.HasSuccessfulOrder];

    public override IReadOnlyList<string> Arguments => ContractTransition.ArgumentNames;

    /// <summary>The contract change that starts this notice.</summary>
    protected abstract bool Starts(ContractTransition contract);

    public IEnumerable<NoticeAction> On(ContractChanged evt, RuleContext context)
    {
        var contract = new ContractTransition(evt, context.Client);
        if (Starts(contract))
        {
            yield return Enqueue(context, evt.ContractId, contract.Args());
        }
    }

    /// <summary>Any completed order dequeues the client's pending nudges, whatever the contract.</summary>
    public IEnumerable<NoticeAction> On(OrderCompleted evt, RuleContext context)
    {
        yield return Dequeue(contractId: null);
    }

    public override SendCheck CheckBeforeSend(SendCheckContext context)
    {
        var taxi = ContractChecks.TaxiService(context);
        return taxi.Passed ? ContractChecks.NoSuccessfulOrderYet(context) : taxi;
    }
}

/// <summary>Nudges for prepaid contracts: start when the offer is accepted.</summary>
public abstract class PrepaidTakeARideRule : TakeARideRule
{
    public override string Trigger =>
        "ContractChanged: the offer of a prepaid contract is accepted (false → true, or a new contract already accepted)";

    protected override bool Starts(ContractTransition contract) => contract.IsPrepaid && contract.OfferAccepted;
}

/// <summary>Nudges for postpaid contracts: start when the contract becomes active.</summary>
public abstract class PostpaidTakeARideRule : TakeARideRule
{
    public override string Trigger =>
        "ContractChanged: a postpaid contract becomes active (a new inactive postpaid contract enqueues nothing)";

    protected override bool Starts(ContractTransition contract) => contract.IsPostpaid && contract.BecameActive;
}
