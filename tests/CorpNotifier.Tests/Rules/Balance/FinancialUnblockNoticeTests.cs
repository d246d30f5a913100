using CorpNotifier.Rules;
using CorpNotifier.Rules.Balance;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Balance;

public sealed class FinancialUnblockNoticeTests
{
    private static readonly FinancialUnblockNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_when_the_balance_comes_back_above_the_deactivation_threshold() =>
        Rule.On(BalanceFrom(5, 150), Context(Contract())).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>().SendAt.ShouldBe(Now);

    [Fact]
    public void Is_sent_when_the_balance_lands_exactly_on_the_threshold() =>
        Rule.On(BalanceFrom(5, 25), Context(Contract())).ShouldHaveSingleItem();

    [Fact]
    public void Is_not_sent_when_the_balance_was_not_below() =>
        Rule.On(BalanceFrom(30, 150), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_balance_stays_below() =>
        Rule.On(BalanceFrom(5, 20), Context(Contract())).ShouldBeEmpty();
}
