using CorpNotifier.Contracts;
using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class PostpaidSecondTakeARideNoticeTests() : TakeARideTests<PostpaidSecondTakeARideNotice>(days: 7)
{
    protected override ContractChanged Start => ContractChange(null, Postpaid(active: true, "taxi"));

    protected override IEnumerable<ContractChanged> NotStarts => NotPostpaidActivation;
}
