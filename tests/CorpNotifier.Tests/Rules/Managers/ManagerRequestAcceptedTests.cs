using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Managers;

/// <summary>What both letters of an accepted manager request do, for the service each is about.</summary>
public abstract class ManagerRequestAcceptedTests<TRule>(string service, string otherService, string serviceText)
    : ManagerRequestTests<TRule>(service, otherService, serviceText)
    where TRule : NoticeRule, new()
{
    protected override string From => ManagerRequestStatuses.Accepting;

    protected override string To => ManagerRequestStatuses.Accepted;

    protected override string StatusText => "Принята";

    protected override IEnumerable<(string From, string To)> NotAnnounced =>
    [
        (ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepting),
        (ManagerRequestStatuses.Accepting, ManagerRequestStatuses.Failed),
        (ManagerRequestStatuses.Pending, ManagerRequestStatuses.Rejected),
        (ManagerRequestStatuses.Accepted, ManagerRequestStatuses.Rejected),
    ];

    protected override IEnumerable<string> ArgumentNames => ["manager_name", .. RequestFields, "additional_information"];

    protected override string OwnOptionalArgument => "additional_information";

    [Fact]
    public void Is_sent_when_a_pending_request_becomes_accepted_directly() =>
        Rule.On(ManagerRequestChange(ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepted, Service), Context()).ShouldEnqueueOne();

    [Fact]
    public void Names_the_manager_by_first_and_last_name_and_login() =>
        Rule.On(Announced(managerLogin: "m.smirnova"), Context()).ShouldEnqueueOne().Args["manager_name"].ShouldBe("Мария Смирнова @m.smirnova");

    [Fact]
    public void Carries_what_else_the_manager_wrote()
    {
        var evt = Announced();
        Rule.On(evt with { Request = evt.Request with { AdditionalInformation = "Подписать до пятницы" } }, Context()).ShouldEnqueueOne()
            .Args["additional_information"].ShouldBe("Подписать до пятницы");
    }
}
