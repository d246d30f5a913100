using CorpNotifier.Contracts;
using CorpNotifier.Rules.ContractSettings;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.ContractSettings;

public sealed class TaxiContractActivateNoticeTests()
    : ContractActivateTests<TaxiContractActivateNotice>(ownContract: [Services.Taxi], otherContract: [Services.Cargo])
{
    [Fact]
    public void Is_sent_for_a_contract_with_taxi_and_cargo() =>
        Rule.On(SettingsChange(true, false), Context(Contract(State(services: [Services.Cargo, Services.Taxi])))).ShouldEnqueueOne();

    [Fact]
    public void Is_sent_for_a_contract_with_neither_taxi_nor_cargo() =>
        Rule.On(SettingsChange(true, false), Context(Contract(State() with { Services = ["eats"] }))).ShouldEnqueueOne();

    [Fact]
    public void Is_sent_for_a_contract_the_client_directory_does_not_know_without_an_external_id()
    {
        var action = Rule.On(SettingsChange(true, false), Context(contract: null)).ShouldEnqueueOne();
        action.ContractId.ShouldBe("contract-7");
        action.Args["external_contract_id"].ShouldBe("");
    }
}
