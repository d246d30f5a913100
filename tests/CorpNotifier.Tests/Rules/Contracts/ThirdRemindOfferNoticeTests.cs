using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class ThirdRemindOfferNoticeTests() : OfferReminderTests<ThirdRemindOfferNotice>(days: 10, isOffer: true)
{
    [Fact]
    public void Is_not_scheduled_for_a_paper_contract() =>
        Rule.On(ContractChange(null, Prepaid(accepted: false, isOffer: false)), Context()).ShouldBeEmpty();
}
