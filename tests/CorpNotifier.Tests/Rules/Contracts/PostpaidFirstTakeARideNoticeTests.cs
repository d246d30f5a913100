using CorpNotifier.Contracts;
using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class PostpaidFirstTakeARideNoticeTests() : TakeARideTests<PostpaidFirstTakeARideNotice>(days: 3)
{
    protected override ContractChanged Start => ContractChange(Postpaid(active: false), Postpaid(active: true, "taxi"));

    protected override IEnumerable<ContractChanged> NotStarts => NotPostpaidActivation;
}
