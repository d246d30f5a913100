using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Requests;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Requests;

public sealed class ClientRequestAcceptedNoticeTests
{
    private static readonly ClientRequestAcceptedNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_to_the_client_when_the_request_becomes_accepted()
    {
        var action = Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.UniqueKey.ShouldBeNull();
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
    }

    [Fact]
    public void Carries_the_contract_type_as_the_producer_s_code()
    {
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted), Context()).ShouldEnqueueOne()
            .Args.ShouldBe(new Dictionary<string, object?> { ["contract_type"] = "taxi" });
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted, contractType: RequestContractTypes.Multi), Context()).ShouldEnqueueOne()
            .Args["contract_type"].ShouldBe("multi");
    }

    [Fact]
    public void Is_sent_when_a_rejected_request_becomes_accepted() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Rejected, ClientRequestStatuses.Accepted), Context()).ShouldEnqueueOne();

    [Theory]
    [InlineData(ClientRequestStatuses.Pending, ClientRequestStatuses.Rejected)]
    [InlineData(ClientRequestStatuses.Accepted, ClientRequestStatuses.Pending)]
    [InlineData(ClientRequestStatuses.Accepted, ClientRequestStatuses.Rejected)]
    [InlineData(ClientRequestStatuses.Pending, ClientRequestStatuses.Pending)]
    public void Is_not_sent_for_a_change_to_another_status(string from, string to) =>
        Rule.On(RequestStatus(from, to), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_an_accepted_request_stays_accepted() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Accepted, ClientRequestStatuses.Accepted), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_a_request_is_created() =>
        Rule.On(RequestCreated(), Context()).ShouldBeEmpty();
}
