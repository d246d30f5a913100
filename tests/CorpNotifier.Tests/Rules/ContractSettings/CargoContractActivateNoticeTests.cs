using CorpNotifier.Contracts;
using CorpNotifier.Rules.ContractSettings;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.ContractSettings;

public sealed class CargoContractActivateNoticeTests()
    : ContractActivateTests<CargoContractActivateNotice>(ownContract: [Services.Cargo], otherContract: [Services.Taxi])
{
    [Fact]
    public void Is_sent_whatever_the_case_of_the_service_s_name() =>
        Rule.On(SettingsChange(false, true), Context(Contract(State() with { Services = ["Cargo"] }))).ShouldEnqueueOne();

    [Fact]
    public void Is_not_sent_for_a_contract_with_cargo_and_taxi() =>
        Rule.On(SettingsChange(true, false), Context(Contract(State(services: [Services.Cargo, Services.Taxi])))).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_for_a_contract_the_client_directory_does_not_know() =>
        Rule.On(SettingsChange(true, false), Context(contract: null)).ShouldBeEmpty();
}
