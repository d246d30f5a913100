using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Balance;

/// <summary>
/// The balance examples of docs/design.md for the whole BalanceChanged family, with a low-balance threshold of 100
/// and a deactivation threshold of 25: every rule evaluated together, one test per example.
/// </summary>
public sealed class BalanceChangedExamplesTests
{
    [Fact]
    public void From_150_to_50_sends_low_balance_only() =>
        Evaluate(BalanceFrom(150, 50), Context(Contract())).ShouldBe(["Enqueue LowBalanceNotice @+00:00:00"]);

    [Fact]
    public void From_150_to_5_sends_limit_is_over_and_schedules_its_reminder_without_low_balance() =>
        Evaluate(BalanceFrom(150, 5), Context(Contract())).ShouldBe(
        [
            "Enqueue LimitIsOverNotice @+00:00:00",
            "Enqueue LimitIsOverRemindNotice @+3.00:00:00",
        ]);

    [Fact]
    public void From_5_to_150_sends_financial_unblock_and_dequeues_the_reminder() =>
        Evaluate(BalanceFrom(5, 150), Context(Contract())).ShouldBe(
        [
            "Dequeue LimitIsOverRemindNotice",
            "Enqueue FinancialUnblockNotice @+00:00:00",
        ]);

    [Fact]
    public void From_150_to_150_does_nothing() =>
        Evaluate(BalanceFrom(150, 150), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void From_150_to_120_does_nothing() =>
        Evaluate(BalanceFrom(150, 120), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void From_150_to_50_with_notifications_disabled_does_nothing() =>
        Evaluate(BalanceFrom(150, 50), Context(Contract(State(notifications: false)))).ShouldBeEmpty();

    [Fact]
    public void Without_thresholds_nothing_is_sent_whatever_the_change()
    {
        var contract = Contract(State(low: null, deactivate: null));
        Evaluate(BalanceFrom(150, 50), Context(contract)).ShouldBeEmpty();
        Evaluate(BalanceFrom(150, 5), Context(contract)).ShouldBeEmpty();
        Evaluate(BalanceFrom(5, 150), Context(contract)).ShouldBeEmpty();
    }

    [Fact]
    public void With_an_unknown_contract_nothing_is_sent() =>
        Evaluate(BalanceFrom(150, 5), Context(contract: null)).ShouldBeEmpty();
}
