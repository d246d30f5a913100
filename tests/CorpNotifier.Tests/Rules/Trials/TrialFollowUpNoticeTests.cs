using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Trials;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Trials;

public sealed class TrialFollowUpNoticeTests
{
    private static readonly TrialFollowUpNotice Rule = new();

    private static NewTrialClient SignUp(string eventId = "trial-event") => Trial(TrialFlows.ClientTrial, eventId: eventId);

    [Theory]
    [InlineData(TrialFlows.ClientTrial)]
    [InlineData(TrialFlows.RegisterTrial)]
    public void Is_sent_to_the_staff_half_an_hour_after_a_sign_up_of_either_flow(string flow)
    {
        var action = Rule.On(Trial(flow, flow == TrialFlows.RegisterTrial ? PasswordToken : null), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now.AddMinutes(30));
        action.ContractId.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Staff);
        Rule.DefaultOffset.ShouldBe(TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void Is_sent_for_every_sign_up_without_a_unique_key() =>
        Rule.On(SignUp(), Context()).ShouldEnqueueOne().UniqueKey.ShouldBeNull();

    [Fact]
    public void Is_delayed_by_a_configured_offset_instead() =>
        Rule.On(SignUp(), Context(offsets: _ => TimeSpan.FromHours(2))).ShouldEnqueueOne().SendAt.ShouldBe(Now.AddHours(2));

    [Fact]
    public void Carries_the_sign_up_s_draft()
    {
        var args = Rule.On(SignUp(), Context()).ShouldEnqueueOne().Args;
        args.Keys.ShouldBe(
            ["letter_id", "client_id", "locale", "company_name", "city", "yandex_login", "contact_name", "contact_email", "contact_phone", "references"],
            ignoreOrder: true);
        args.ShouldCarry(new Dictionary<string, object?>
        {
            ["client_id"] = "client-42",
            ["locale"] = "rus",
            ["company_name"] = "Acme",
            ["city"] = "Москва",
            ["yandex_login"] = "acme-trial",
            ["contact_name"] = "Анна Петрова",
            ["contact_email"] = "contact.client-42@clients.example",
            ["contact_phone"] = "+79990001122",
            ["references"] = "<li>utm_source – search</li>",
        });
    }

    [Theory]
    [InlineData("rus")]
    [InlineData("kaz")]
    public void Goes_to_the_staff_of_the_draft_s_country_and_names_it_as_locale(string country)
    {
        var evt = SignUp();
        var action = Rule.On(evt with { Draft = evt.Draft with { Country = country } }, Context()).ShouldEnqueueOne();
        action.Args["locale"].ShouldBe(country);
        action.Country.ShouldBe(country);
    }

    [Fact]
    public void Gives_each_sign_up_a_new_unique_letter_id()
    {
        var first = Rule.On(SignUp("trial-event-1"), Context()).ShouldEnqueueOne().Args["letter_id"].ShouldBeOfType<string>();
        var second = Rule.On(SignUp("trial-event-2"), Context()).ShouldEnqueueOne().Args["letter_id"].ShouldBeOfType<string>();
        Guid.TryParse(first, out _).ShouldBeTrue(first);
        Guid.TryParse(second, out _).ShouldBeTrue(second);
        second.ShouldNotBe(first);
        first.ShouldNotBe("client-42");
    }

    [Fact]
    public void Gives_a_redelivered_sign_up_the_same_letter_id() =>
        Rule.On(SignUp("trial-event-1"), Context()).ShouldEnqueueOne().Args["letter_id"]
            .ShouldBe(Rule.On(SignUp("trial-event-1"), Context()).ShouldEnqueueOne().Args["letter_id"]);

    [Fact]
    public void Lists_the_references_as_html_items_in_the_order_given()
    {
        var evt = SignUp();
        evt = evt with { Draft = evt.Draft with { References = new Dictionary<string, string> { ["utm_source"] = "direct", ["ad"] = "A & B <1>", ["utm_campaign"] = "зима" } } };
        Rule.On(evt, Context()).ShouldEnqueueOne().Args["references"]
            .ShouldBe("<li>utm_source – direct</li><li>ad – A &amp; B &lt;1&gt;</li><li>utm_campaign – зима</li>");
    }

    [Fact]
    public void Gives_empty_references_when_there_are_none()
    {
        var evt = SignUp();
        Rule.On(evt with { Draft = evt.Draft with { References = new Dictionary<string, string>() } }, Context()).ShouldEnqueueOne().Args["references"].ShouldBe("");
    }

    [Fact]
    public void Is_dequeued_for_the_client_by_a_request_for_a_contract() =>
        Rule.On(RequestCreated(), Context()).ShouldHaveSingleItem().ShouldBe(new DequeueNotices(nameof(TrialFollowUpNotice), null));

    [Fact]
    public void Is_dequeued_by_a_request_from_any_country_for_any_service() =>
        Rule.On(RequestCreated(country: "kaz", contractType: RequestContractTypes.Cargo), Context()).ShouldHaveSingleItem()
            .ShouldBe(new DequeueNotices(nameof(TrialFollowUpNotice), null));

    [Fact]
    public void Is_neither_sent_nor_dequeued_by_a_repeated_sign_up_or_a_request_s_status_change()
    {
        Rule.On(DuplicateTrial(used: true), Context()).ShouldBeEmpty();
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted), Context()).ShouldBeEmpty();
    }
}
