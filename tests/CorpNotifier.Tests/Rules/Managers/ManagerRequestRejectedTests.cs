using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Managers;

/// <summary>What both letters of a rejected manager request do, for the service each is about.</summary>
public abstract class ManagerRequestRejectedTests<TRule>(string service, string otherService, string serviceText)
    : ManagerRequestTests<TRule>(service, otherService, serviceText)
    where TRule : NoticeRule, new()
{
    protected override string From => ManagerRequestStatuses.Pending;

    protected override string To => ManagerRequestStatuses.Rejected;

    protected override string StatusText => "Отклонена";

    protected override IEnumerable<(string From, string To)> NotAnnounced =>
    [
        (ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepting),
        (ManagerRequestStatuses.Accepting, ManagerRequestStatuses.Accepted),
        (ManagerRequestStatuses.Accepting, ManagerRequestStatuses.Failed),
        (ManagerRequestStatuses.Rejected, ManagerRequestStatuses.Pending),
    ];

    protected override IEnumerable<string> ArgumentNames => [.. RequestFields, "reason"];

    protected override string OwnOptionalArgument => "reason";

    [Fact]
    public void Carries_the_reason_given() =>
        Rule.On(Announced(reason: "Нет подписи на уставе"), Context()).ShouldEnqueueOne().Args["reason"].ShouldBe("Нет подписи на уставе");

    [Fact]
    public void Is_sent_when_a_request_being_accepted_is_rejected() =>
        Rule.On(ManagerRequestChange(ManagerRequestStatuses.Accepting, ManagerRequestStatuses.Rejected, Service), Context()).ShouldEnqueueOne();

    [Fact]
    public void Carries_neither_the_manager_s_name_nor_what_else_the_manager_wrote()
    {
        var evt = Announced();
        var args = Rule.On(evt with { Request = evt.Request with { AdditionalInformation = "Подписать до пятницы" } }, Context()).ShouldEnqueueOne().Args;
        args.Keys.ShouldNotContain("manager_name");
        args.Keys.ShouldNotContain("additional_information");
    }
}
