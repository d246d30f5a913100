using CorpNotifier.Rules;
using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class PrepaidFirstTakeARideNoticeTests
{
    private static readonly PrepaidFirstTakeARideNotice Rule = new();

    [Fact]
    public void Is_scheduled_3_days_after_the_offer_of_a_prepaid_contract_is_accepted()
    {
        var action = Rule.On(ContractChange(Prepaid(accepted: false), Prepaid(accepted: true)), Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.SendAt.ShouldBe(Now.AddDays(3));
        action.Args.ShouldBe(new Dictionary<string, object?> { ["contract_id"] = "contract-7", ["external_id"] = "ДГ-7", ["client_name"] = "Acme LLC" });
    }

    [Fact]
    public void Is_not_scheduled_otherwise()
    {
        Rule.On(ContractChange(null, Prepaid(accepted: false)), Context()).ShouldBeEmpty();
        Rule.On(ContractChange(Prepaid(accepted: true), Prepaid(accepted: true)), Context()).ShouldBeEmpty();
        Rule.On(ContractChange(null, Postpaid(active: true, "taxi")), Context()).ShouldBeEmpty();
    }

    [Fact]
    public void Is_dequeued_by_any_completed_order_of_the_client() =>
        Rule.On(Order(), Context()).ShouldHaveSingleItem().ShouldBe(new DequeueNotices(nameof(PrepaidFirstTakeARideNotice), null));

    [Fact]
    public void Is_rejected_at_send_time_when_the_client_already_has_a_successful_order() =>
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Postpaid(active: true, "taxi"), hasSuccessfulOrder: true)).ReasonCode.ShouldBe(ReasonCodes.HasSuccessfulOrder);

    [Fact]
    public void Is_rejected_at_send_time_when_the_contract_has_no_taxi_service() =>
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Postpaid(active: true, "cargo"))).ReasonCode.ShouldBe(ReasonCodes.NoTaxiService);

    [Fact]
    public void Passes_the_send_time_checks_for_a_taxi_client_without_orders() =>
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Postpaid(active: true, "taxi"))).Passed.ShouldBeTrue();
}
