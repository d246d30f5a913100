using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Balance;

/// <summary>
/// Sent at once when the balance crosses from at or above the low-balance threshold to below
/// it and the client wants low-balance warnings. When the same change also crosses the
/// deactivation threshold, <see cref="LimitIsOverNotice"/> goes instead.
/// </summary>
public sealed class LowBalanceNotice : NoticeRule, IReactsTo<BalanceChanged>
{
    public override NoticeCategory Category => NoticeCategory.Money;

    public override string Trigger =>
        "BalanceChanged crossing from ≥ the low-balance threshold to below it, low-balance notifications enabled";

    public override string CancelledBy =>
        "nothing when the balance was already below or did not change; LimitIsOverNotice instead when the change also crosses the deactivation threshold";

    public override IReadOnlyList<string> Arguments => BalanceMovement.ArgumentNames;

    public IEnumerable<NoticeAction> On(BalanceChanged evt, RuleContext context)
    {
        if (BalanceMovement.Of(evt, context) is { } move
            && move.LowBalanceNotificationsEnabled
            && move.CrossedBelowLow
            && !move.CrossedBelowDeactivation)
        {
            yield return Enqueue(context, evt.ContractId, move.Args);
        }
    }
}
