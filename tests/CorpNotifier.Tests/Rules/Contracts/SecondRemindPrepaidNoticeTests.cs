using CorpNotifier.Rules;
using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class SecondRemindPrepaidNoticeTests
{
    private static readonly SecondRemindPrepaidNotice Rule = new();

    [Fact]
    public void Is_scheduled_5_days_after_a_new_prepaid_contract_arrives_unaccepted()
    {
        var action = Rule.On(ContractChange(null, Prepaid(accepted: false, isOffer: true)), Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.SendAt.ShouldBe(Now.AddDays(5));
        action.ContractId.ShouldBe("contract-7");
        action.Args.ShouldBe(new Dictionary<string, object?> { ["contract_id"] = "contract-7", ["external_id"] = "ДГ-7", ["client_name"] = "Acme LLC" });
    }

    [Fact]
    public void Applies_to_paper_contracts_too() =>
        Rule.On(ContractChange(null, Prepaid(accepted: false, isOffer: false)), Context()).ShouldHaveSingleItem();

    [Fact]
    public void Is_not_scheduled_for_an_accepted_or_postpaid_or_known_contract()
    {
        Rule.On(ContractChange(null, Prepaid(accepted: true)), Context()).ShouldBeEmpty();
        Rule.On(ContractChange(null, Postpaid(active: true, "taxi")), Context()).ShouldBeEmpty();
        Rule.On(ContractChange(Prepaid(accepted: false), Prepaid(accepted: false)), Context()).ShouldBeEmpty();
    }

    [Fact]
    public void Is_dequeued_for_the_contract_when_the_offer_gets_accepted() =>
        Rule.On(ContractChange(Prepaid(accepted: false), Prepaid(accepted: true)), Context()).ShouldHaveSingleItem()
            .ShouldBe(new DequeueNotices(nameof(SecondRemindPrepaidNotice), "contract-7"));

    [Fact]
    public void Is_rejected_at_send_time_when_the_contract_has_no_taxi_service()
    {
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Prepaid(services: "cargo"))).ReasonCode.ShouldBe(ReasonCodes.NoTaxiService);
        Rule.CheckBeforeSend(SendContext(Rule.Kind, contract: null)).ReasonCode.ShouldBe(ReasonCodes.NoTaxiService);
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Prepaid(services: "taxi"))).Passed.ShouldBeTrue();
    }
}
