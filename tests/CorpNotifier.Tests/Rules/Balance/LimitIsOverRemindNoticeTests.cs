using CorpNotifier.Rules;
using CorpNotifier.Rules.Balance;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Balance;

public sealed class LimitIsOverRemindNoticeTests
{
    private static readonly LimitIsOverRemindNotice Rule = new();

    [Fact]
    public void Is_scheduled_three_days_after_the_limit_is_over_by_default() =>
        Rule.On(BalanceFrom(150, 5), Context(Contract())).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>()
            .SendAt.ShouldBe(Now.AddDays(3));

    [Fact]
    public void Follows_the_configured_offset() =>
        Rule.On(BalanceFrom(150, 5), Context(Contract(), _ => TimeSpan.FromMinutes(90))).ShouldHaveSingleItem()
            .ShouldBeOfType<EnqueueNotice>().SendAt.ShouldBe(Now.AddMinutes(90));

    [Fact]
    public void Is_dequeued_for_the_contract_when_the_balance_comes_back() =>
        Rule.On(BalanceFrom(5, 150), Context(Contract())).ShouldHaveSingleItem()
            .ShouldBe(new DequeueNotices(nameof(LimitIsOverRemindNotice), "contract-7"));

    [Fact]
    public void Is_left_alone_by_changes_that_stay_below() =>
        Rule.On(BalanceFrom(5, 10), Context(Contract())).ShouldBeEmpty();
}
