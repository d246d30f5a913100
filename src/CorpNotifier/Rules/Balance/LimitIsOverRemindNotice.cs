using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Balance;

/// <summary>
/// A reminder some days after <see cref="LimitIsOverNotice"/>; dequeued when the balance
/// comes back (the same change that sends <see cref="FinancialUnblockNotice"/>).
/// </summary>
public sealed class LimitIsOverRemindNotice : NoticeRule, IReactsTo<BalanceChanged>
{
    public override NoticeCategory Category => NoticeCategory.Money;

    public override TimeSpan DefaultOffset => TimeSpan.FromDays(3);

    public override string Trigger => "together with LimitIsOverNotice";

    public override string CancelledBy => "dequeued when the balance crosses back to ≥ the deactivation threshold (FinancialUnblockNotice)";

    public override IReadOnlyList<string> Arguments => BalanceMovement.ArgumentNames;

    public IEnumerable<NoticeAction> On(BalanceChanged evt, RuleContext context)
    {
        if (BalanceMovement.Of(evt, context) is not { } move)
        {
            yield break;
        }

        if (move.CrossedBelowDeactivation)
        {
            yield return Enqueue(context, evt.ContractId, move.Args);
        }
        else if (move.CrossedBackAboveDeactivation)
        {
            yield return Dequeue(evt.ContractId);
        }
    }
}
