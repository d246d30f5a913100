using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class ThirdRemindPrepaidNoticeTests() : OfferReminderTests<ThirdRemindPrepaidNotice>(days: 10, isOffer: false)
{
    [Fact]
    public void Is_not_scheduled_for_an_offer_contract() =>
        Rule.On(ContractChange(null, Prepaid(accepted: false, isOffer: true)), Context()).ShouldBeEmpty();
}
