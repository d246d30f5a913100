using CorpNotifier.Contracts;
using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class PrepaidFirstTakeARideNoticeTests() : TakeARideTests<PrepaidFirstTakeARideNotice>(days: 3)
{
    protected override ContractChanged Start => ContractChange(Prepaid(accepted: false), Prepaid(accepted: true));

    protected override IEnumerable<ContractChanged> NotStarts => NotPrepaidAcceptance;

    [Fact]
    public void Is_scheduled_for_a_new_contract_that_arrives_accepted() =>
        Rule.On(ContractChange(null, Prepaid(accepted: true)), Context()).ShouldHaveSingleItem();
}
