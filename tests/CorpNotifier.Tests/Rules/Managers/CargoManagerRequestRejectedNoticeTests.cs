using CorpNotifier.Rules.Managers;

namespace CorpNotifier.Tests.Rules.Managers;

public sealed class CargoManagerRequestRejectedNoticeTests() : ManagerRequestRejectedTests<CargoManagerRequestRejectedNotice>(service: "cargo", otherService: "taxi", serviceText: "Доставка");
