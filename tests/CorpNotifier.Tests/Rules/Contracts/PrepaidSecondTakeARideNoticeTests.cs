using CorpNotifier.Contracts;
using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class PrepaidSecondTakeARideNoticeTests() : TakeARideTests<PrepaidSecondTakeARideNotice>(days: 7)
{
    protected override ContractChanged Start => ContractChange(Prepaid(accepted: false), Prepaid(accepted: true));

    protected override IEnumerable<ContractChanged> NotStarts => NotPrepaidAcceptance;
}
