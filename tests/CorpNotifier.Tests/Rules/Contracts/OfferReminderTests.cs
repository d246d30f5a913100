using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

/// <summary>What every offer reminder does; each reminder's own test file adds what is its own.</summary>
public abstract class OfferReminderTests<TRule>(int days, bool isOffer)
    where TRule : NoticeRule, new()
{
    protected static readonly TRule Rule = new();

    [Fact]
    public void Is_scheduled_days_after_a_new_prepaid_contract_arrives_unaccepted()
    {
        var action = Rule.On(ContractChange(null, Prepaid(accepted: false, isOffer: isOffer)), Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.SendAt.ShouldBe(Now.AddDays(days));
        action.ContractId.ShouldBe("contract-7");
        action.Args.ShouldBe(new Dictionary<string, object?> { ["contract_id"] = "contract-7", ["external_id"] = "ДГ-7", ["client_name"] = "Acme LLC" });
    }

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
            .ShouldBe(new DequeueNotices(typeof(TRule).Name, "contract-7"));

    [Fact]
    public void Is_rejected_at_send_time_when_the_contract_has_no_taxi_service()
    {
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Prepaid(services: "cargo"))).ReasonCode.ShouldBe(ReasonCodes.NoTaxiService);
        Rule.CheckBeforeSend(SendContext(Rule.Kind, contract: null)).ReasonCode.ShouldBe(ReasonCodes.NoTaxiService);
        Rule.CheckBeforeSend(SendContext(Rule.Kind, Prepaid(services: "taxi"))).Passed.ShouldBeTrue();
    }
}
