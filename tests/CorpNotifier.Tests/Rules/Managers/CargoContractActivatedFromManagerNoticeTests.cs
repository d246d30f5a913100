using CorpNotifier.Rules.Managers;

namespace CorpNotifier.Tests.Rules.Managers;

public sealed class CargoContractActivatedFromManagerNoticeTests()
    : ContractActivatedFromManagerTests<CargoContractActivatedFromManagerNotice>(service: "cargo", otherService: "taxi", otherRule: new TaxiContractActivatedFromManagerNotice());
