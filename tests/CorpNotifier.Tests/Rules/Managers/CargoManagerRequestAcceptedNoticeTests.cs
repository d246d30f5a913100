using CorpNotifier.Rules.Managers;

namespace CorpNotifier.Tests.Rules.Managers;

public sealed class CargoManagerRequestAcceptedNoticeTests() : ManagerRequestAcceptedTests<CargoManagerRequestAcceptedNotice>(service: "cargo", otherService: "taxi", serviceText: "Доставка");
