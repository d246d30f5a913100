using CorpNotifier.Rules.Managers;

namespace CorpNotifier.Tests.Rules.Managers;

public sealed class TaxiContractActivatedFromManagerNoticeTests()
    : ContractActivatedFromManagerTests<TaxiContractActivatedFromManagerNotice>(service: "taxi", otherService: "cargo", otherRule: new CargoContractActivatedFromManagerNotice());
