using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Balance;

/// <summary>Sent at once when the balance crosses from below the deactivation threshold back to at or above it.</summary>
public sealed class FinancialUnblockNotice : NoticeRule, IReactsTo<BalanceChanged>
{
    public override NoticeCategory Category => NoticeCategory.Money;

    public override string Trigger => "BalanceChanged crossing from below the deactivation threshold to ≥ it";

    public override IReadOnlyList<string> Arguments => BalanceMovement.ArgumentNames;

    public IEnumerable<NoticeAction> On(BalanceChanged evt, RuleContext context)
    {
        if (BalanceMovement.Of(evt, context) is { CrossedBackAboveDeactivation: true } move)
        {
            yield return Enqueue(context, evt.ContractId, move.Args);
        }
    }
}
