using CorpNotifier.Rules;
using CorpNotifier.Rules.Balance;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Balance;

public sealed class LimitIsOverNoticeTests
{
    private static readonly LimitIsOverNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_when_the_balance_crosses_below_the_deactivation_threshold() =>
        Rule.On(BalanceFrom(150, 5), Context(Contract())).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>().SendAt.ShouldBe(Now);

    [Fact]
    public void Is_sent_when_the_balance_was_already_below_the_low_threshold() =>
        Rule.On(BalanceFrom(50, 5), Context(Contract())).ShouldHaveSingleItem();

    [Fact]
    public void Is_sent_whether_or_not_low_balance_notifications_are_on() =>
        Rule.On(BalanceFrom(150, 5), Context(Contract(State(notifications: false)))).ShouldHaveSingleItem();

    [Fact]
    public void Is_not_sent_when_the_balance_was_already_below_the_deactivation_threshold() =>
        Rule.On(BalanceFrom(20, 5), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_balance_lands_exactly_on_the_threshold() =>
        Rule.On(BalanceFrom(150, 25), Context(Contract())).ShouldBeEmpty();
}
