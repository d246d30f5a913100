using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.ContractSettings;

/// <summary>The contract's credit threshold became a big quasi-credit.</summary>
public sealed class BigQuasiNotice : NoticeRule, IReactsTo<ContractThresholdUpdated>
{
    public override NoticeCategory Category => NoticeCategory.Contract;

    public override string Trigger => "ContractThresholdUpdated to type big_quasi from any other";

    public IEnumerable<NoticeAction> On(ContractThresholdUpdated evt, RuleContext context)
    {
        if (evt.New.ThresholdType == ThresholdTypes.BigQuasi && evt.Old.ThresholdType != ThresholdTypes.BigQuasi)
        {
            yield return Enqueue(context, evt.ContractId, new Dictionary<string, object?>());
        }
    }
}
