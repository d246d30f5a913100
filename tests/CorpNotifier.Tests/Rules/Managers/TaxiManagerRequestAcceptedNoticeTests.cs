using CorpNotifier.Rules.Managers;

namespace CorpNotifier.Tests.Rules.Managers;

public sealed class TaxiManagerRequestAcceptedNoticeTests() : ManagerRequestAcceptedTests<TaxiManagerRequestAcceptedNotice>(service: "taxi", otherService: "cargo", serviceText: "Такси");
