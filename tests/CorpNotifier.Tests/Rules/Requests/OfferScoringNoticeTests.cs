using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Requests;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Requests;

public sealed class OfferScoringNoticeTests
{
    private static readonly OfferScoringNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_to_the_staff_when_the_request_becomes_accepted()
    {
        var action = Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Staff);
    }

    [Theory]
    [InlineData("rus")]
    [InlineData("isr")]
    public void Goes_to_the_staff_of_the_country_the_request_is_from(string country) =>
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted, country: country), Context()).ShouldEnqueueOne().Country.ShouldBe(country);

    [Fact]
    public void Is_sent_for_every_accepted_request_without_a_unique_key() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted), Context()).ShouldEnqueueOne().UniqueKey.ShouldBeNull();

    [Fact]
    public void Carries_the_request_the_moderators_score() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted, contractType: RequestContractTypes.Cargo), Context()).ShouldEnqueueOne()
            .Args.ShouldBe(new Dictionary<string, object?>
            {
                ["contract_type"] = "cargo",
                ["client_id"] = "client-42",
                ["request_id"] = "request-1",
                ["inn"] = "7701234567",
                ["yandex_login"] = "acme-corp",
            });

    [Theory]
    [InlineData(ClientRequestStatuses.Pending, ClientRequestStatuses.Rejected)]
    [InlineData(ClientRequestStatuses.Accepted, ClientRequestStatuses.Pending)]
    [InlineData(ClientRequestStatuses.Pending, ClientRequestStatuses.Pending)]
    public void Is_not_sent_for_a_change_to_another_status(string from, string to) =>
        Rule.On(RequestStatus(from, to), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_an_accepted_request_stays_accepted() =>
        Rule.On(RequestStatus(ClientRequestStatuses.Accepted, ClientRequestStatuses.Accepted), Context()).ShouldBeEmpty();

    [Fact]
    public void Goes_with_the_client_s_letter_when_a_request_is_accepted() =>
        Evaluate(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted), Context())
            .ShouldBe(["Enqueue ClientRequestAcceptedNotice @+00:00:00", "Enqueue OfferScoringNotice @+00:00:00"]);
}
