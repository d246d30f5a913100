using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

/// <summary>What every take-a-ride letter does; each letter's own test file says what starts it and when.</summary>
public abstract class TakeARideTests<TRule>(int days)
    where TRule : NoticeRule, new()
{
    protected static readonly TRule Rule = new();

    /// <summary>The contract change that starts the letter.</summary>
    protected abstract ContractChanged Start { get; }

    /// <summary>Changes that must not start it.</summary>
    protected abstract IEnumerable<ContractChanged> NotStarts { get; }

    [Fact]
    public void Is_scheduled_days_after_its_start()
    {
        var action = Rule.On(Start, Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.SendAt.ShouldBe(Now.AddDays(days));
        action.Args.ShouldBe(new Dictionary<string, object?> { ["contract_id"] = "contract-7", ["external_id"] = "ДГ-7", ["client_name"] = "Acme LLC" });
    }

    [Fact]
    public void Is_not_scheduled_otherwise()
    {
        foreach (var change in NotStarts)
        {
            Rule.On(change, Context()).ShouldNotContain(a => a is EnqueueNotice);
        }
    }

    [Fact]
    public void Is_dequeued_by_any_completed_order_of_the_client() =>
        Rule.On(Order(), Context()).ShouldHaveSingleItem().ShouldBe(new DequeueNotices(typeof(TRule).Name, null));

    [Fact]
    public void Is_rejected_at_send_time_when_the_client_already_has_a_successful_order() =>
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Postpaid(active: true, "taxi"), hasSuccessfulOrder: true)).ReasonCode.ShouldBe(ReasonCodes.HasSuccessfulOrder);

    [Fact]
    public void Is_rejected_at_send_time_when_the_contract_has_no_taxi_service() =>
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Postpaid(active: true, "cargo"))).ReasonCode.ShouldBe(ReasonCodes.NoTaxiService);

    [Fact]
    public void Passes_the_send_time_checks_for_a_taxi_client_without_orders() =>
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Postpaid(active: true, "taxi"))).Passed.ShouldBeTrue();

    protected static IEnumerable<ContractChanged> NotPrepaidAcceptance =>
    [
        ContractChange(null, Prepaid(accepted: false)),
        ContractChange(Prepaid(accepted: true), Prepaid(accepted: true)),
        ContractChange(null, Postpaid(active: true, "taxi")),
    ];

    protected static IEnumerable<ContractChanged> NotPostpaidActivation =>
    [
        ContractChange(null, Postpaid(active: false)),
        ContractChange(Postpaid(active: true), Postpaid(active: true)),
        ContractChange(Prepaid(accepted: false), Prepaid(true, true, true)),
    ];
}
