using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Balance;

/// <summary>Sent at once when the balance crosses below the deactivation threshold.</summary>
public sealed class LimitIsOverNotice : NoticeRule, IReactsTo<BalanceChanged>
{
    public override NoticeCategory Category => NoticeCategory.Money;

    public override string Trigger => "BalanceChanged crossing from ≥ the deactivation threshold to below it";

    public override IReadOnlyList<string> Arguments => BalanceMovement.ArgumentNames;

    public IEnumerable<NoticeAction> On(BalanceChanged evt, RuleContext context)
    {
        if (BalanceMovement.Of(evt, context) is { CrossedBelowDeactivation: true } move)
        {
            yield return Enqueue(context, evt.ContractId, move.Args);
        }
    }
}
