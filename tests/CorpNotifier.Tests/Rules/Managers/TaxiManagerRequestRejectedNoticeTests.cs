using CorpNotifier.Rules.Managers;

namespace CorpNotifier.Tests.Rules.Managers;

public sealed class TaxiManagerRequestRejectedNoticeTests() : ManagerRequestRejectedTests<TaxiManagerRequestRejectedNotice>(service: "taxi", otherService: "cargo", serviceText: "Такси");
