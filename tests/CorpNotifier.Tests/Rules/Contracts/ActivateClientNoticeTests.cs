using CorpNotifier.Rules.Contracts;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class ActivateClientNoticeTests() : ActivationTests<ActivateClientNotice>(service: "taxi", otherService: "cargo");
