using CorpNotifier.Rules;
using CorpNotifier.Rules.Balance;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Balance;

public sealed class LowBalanceNoticeTests
{
    private static readonly LowBalanceNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_with_the_balance_arguments_when_the_balance_crosses_below_the_threshold()
    {
        var action = Rule.On(BalanceFrom(150, 50), Context(Contract())).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBe("contract-7");
        action.Args.ShouldBe(new Dictionary<string, object?>
        {
            ["contract_id"] = "contract-7",
            ["external_id"] = "ДГ-7",
            ["old_balance"] = "150",
            ["new_balance"] = "50",
            ["currency"] = "RUB",
        });
    }

    [Fact]
    public void Is_sent_when_the_balance_was_exactly_at_the_threshold() =>
        Rule.On(BalanceFrom(100, 99.99m), Context(Contract())).ShouldHaveSingleItem();

    [Fact]
    public void Is_not_sent_when_the_balance_was_already_below() =>
        Rule.On(BalanceFrom(90, 50), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_balance_goes_up() =>
        Rule.On(BalanceFrom(50, 90), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_same_change_crosses_the_deactivation_threshold() =>
        Rule.On(BalanceFrom(150, 24), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_client_switched_low_balance_notifications_off() =>
        Rule.On(BalanceFrom(150, 50), Context(Contract(State(notifications: false)))).ShouldBeEmpty();

    [Fact]
    public void Is_sent_without_a_deactivation_threshold() =>
        Rule.On(BalanceFrom(150, 5), Context(Contract(State(deactivate: null)))).ShouldHaveSingleItem();

    [Fact]
    public void Is_delayed_by_a_configured_offset() =>
        Rule.On(BalanceFrom(150, 50), Context(Contract(), _ => TimeSpan.FromHours(1)))
            .ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>().SendAt.ShouldBe(Now.AddHours(1));
}
