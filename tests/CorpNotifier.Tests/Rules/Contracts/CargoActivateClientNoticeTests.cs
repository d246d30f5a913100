using CorpNotifier.Rules.Contracts;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class CargoActivateClientNoticeTests() : ActivationTests<CargoActivateClientNotice>(service: "cargo", otherService: "taxi");
