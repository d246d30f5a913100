using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class SecondRemindPrepaidNoticeTests() : OfferReminderTests<SecondRemindPrepaidNotice>(days: 5, isOffer: true)
{
    [Fact]
    public void Applies_to_paper_contracts_too() =>
        Rule.On(ContractChange(null, Prepaid(accepted: false, isOffer: false)), Context()).ShouldHaveSingleItem();
}
