using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Requests;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Requests;

public sealed class ClientRequestRejectedNoticeTests
{
    private static readonly ClientRequestRejectedNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_to_the_client_when_the_request_becomes_rejected()
    {
        var action = Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Rejected, "Не указан ИНН"), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.UniqueKey.ShouldBeNull();
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
    }

    [Fact]
    public void Carries_the_contract_type_as_the_producer_s_code_the_reason_and_the_request_s_country_as_locale() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Rejected, "Не указан ИНН", RequestContractTypes.Cargo, "kaz"), Context()).ShouldEnqueueOne()
            .Args.ShouldBe(new Dictionary<string, object?>
            {
                ["contract_type"] = "cargo",
                ["reject_reason"] = "Не указан ИНН",
                ["locale"] = "kaz",
            });

    [Fact]
    public void Carries_an_empty_reason_when_none_is_given() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Rejected), Context()).ShouldEnqueueOne().Args["reject_reason"].ShouldBe("");

    [Fact]
    public void Is_sent_when_an_accepted_request_becomes_rejected() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Accepted, ClientRequestStatuses.Rejected), Context()).ShouldEnqueueOne();

    [Theory]
    [InlineData(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted)]
    [InlineData(ClientRequestStatuses.Rejected, ClientRequestStatuses.Pending)]
    [InlineData(ClientRequestStatuses.Rejected, ClientRequestStatuses.Accepted)]
    [InlineData(ClientRequestStatuses.Pending, ClientRequestStatuses.Pending)]
    public void Is_not_sent_for_a_change_to_another_status(string from, string to) =>
        Rule.On(RequestStatus(from, to), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_a_rejected_request_stays_rejected() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Rejected, ClientRequestStatuses.Rejected, "again"), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_the_one_letter_of_a_rejected_request() =>
        Evaluate(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Rejected), Context()).ShouldBe(["Enqueue ClientRequestRejectedNotice @+00:00:00"]);
}
