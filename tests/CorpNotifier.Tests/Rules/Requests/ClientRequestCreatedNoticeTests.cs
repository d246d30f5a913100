using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Requests;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Requests;

public sealed class ClientRequestCreatedNoticeTests
{
    private static readonly ClientRequestCreatedNotice Rule = new();

    private static readonly string[] RussiaOnly = ["ogrn", "kpp", "bik", "account", "registration_date"];

    [Fact]
    public void Is_sent_at_once_to_the_staff_when_a_request_is_created()
    {
        var action = Rule.On(RequestCreated(), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Staff);
        Rule.DefaultOffset.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("rus")]
    [InlineData("isr")]
    [InlineData("kaz")]
    public void Goes_to_the_staff_of_the_country_the_request_is_from(string country) =>
        Rule.On(RequestCreated(country), Context()).ShouldEnqueueOne().Country.ShouldBe(country);

    [Fact]
    public void Is_sent_for_every_request_without_a_unique_key() =>
        Rule.On(RequestCreated(), Context()).ShouldEnqueueOne().UniqueKey.ShouldBeNull();

    [Fact]
    public void Carries_every_field_of_a_russian_request_under_the_mail_service_s_names() =>
        Rule.On(RequestCreated(), Context()).ShouldEnqueueOne().Args.ShouldBe(new Dictionary<string, object?>
        {
            ["letter_id"] = "request-1",
            ["request_id"] = "request-1",
            ["client_id"] = "client-42",
            ["company_name"] = "Acme",
            ["contact_name"] = "Анна Петрова",
            ["contact_phone"] = "+79990001122",
            ["contact_email"] = "contact.client-42@clients.example",
            ["city"] = "Москва",
            ["yandex_login"] = "acme-corp",
            ["locale"] = "rus",
            ["full_corp_name"] = "Общество с ограниченной ответственностью «Акме»",
            ["short_corp_name"] = "ООО «Акме»",
            ["corp_form"] = "ООО",
            ["inn"] = "7701234567",
            ["signer_name"] = "Иван Иванов",
            ["signer_position"] = "Генеральный директор",
            ["signer_sex"] = "male",
            ["offer"] = true,
            ["references"] = "<li>utm_source – search</li><li>utm_campaign – autumn</li>",
            ["contract_type"] = "taxi",
            ["ogrn"] = "1027700132195",
            ["kpp"] = "770101001",
            ["bik"] = "044525225",
            ["account"] = "40702810938000000001",
            ["registration_date"] = "2015-03-04, 09:30",
        });

    [Fact]
    public void Gives_the_letter_the_request_s_id_as_its_letter_id()
    {
        var args = Rule.On(RequestCreated() with { RequestId = "request-99" }, Context()).ShouldEnqueueOne().Args;
        args["letter_id"].ShouldBe("request-99");
        args["request_id"].ShouldBe("request-99");
    }

    [Fact]
    public void Gives_the_registration_date_in_utc_as_year_month_day_hours_and_minutes()
    {
        var created = RequestCreated();
        var evt = created with { Russia = created.Russia! with { RegistrationDate = new DateTimeOffset(2015, 3, 4, 1, 5, 59, TimeSpan.FromHours(3)) } };
        Rule.On(evt, Context()).ShouldEnqueueOne().Args["registration_date"].ShouldBe("2015-03-03, 22:05");
    }

    [Fact]
    public void Lists_the_references_as_html_items_in_the_order_given()
    {
        var evt = RequestCreated() with
        {
            References = new Dictionary<string, string> { ["utm_term"] = "такси для бизнеса", ["ad"] = "yandex", ["utm_medium"] = "cpc" },
        };
        Rule.On(evt, Context()).ShouldEnqueueOne().Args["references"]
            .ShouldBe("<li>utm_term – такси для бизнеса</li><li>ad – yandex</li><li>utm_medium – cpc</li>");
    }

    [Fact]
    public void Html_encodes_the_references_keys_and_values()
    {
        var evt = RequestCreated() with { References = new Dictionary<string, string> { ["<b>ad</b>"] = "Tom & \"Jerry\" <script>" } };
        Rule.On(evt, Context()).ShouldEnqueueOne().Args["references"]
            .ShouldBe("<li>&lt;b&gt;ad&lt;/b&gt; – Tom &amp; &quot;Jerry&quot; &lt;script&gt;</li>");
    }

    [Fact]
    public void Gives_empty_references_when_there_are_none() =>
        Rule.On(RequestCreated() with { References = new Dictionary<string, string>() }, Context()).ShouldEnqueueOne().Args["references"].ShouldBe("");

    [Fact]
    public void Carries_the_offer_acceptance_as_given() =>
        Rule.On(RequestCreated() with { OfferAccepted = false }, Context()).ShouldEnqueueOne().Args["offer"].ShouldBe(false);

    [Fact]
    public void Carries_the_contract_type_of_the_request() =>
        Rule.On(RequestCreated(contractType: RequestContractTypes.Multi), Context()).ShouldEnqueueOne().Args["contract_type"].ShouldBe("multi");

    [Fact]
    public void Carries_the_business_entity_number_and_no_russian_details_for_an_israeli_request()
    {
        var args = Rule.On(RequestCreated(country: "isr"), Context()).ShouldEnqueueOne().Args;
        args["business_entity_number"].ShouldBe("515555555");
        args["locale"].ShouldBe("isr");
        args.Keys.Where(k => RussiaOnly.Contains(k)).ShouldBeEmpty();
    }

    [Fact]
    public void Carries_no_israeli_details_for_a_russian_request() =>
        Rule.On(RequestCreated(), Context()).ShouldEnqueueOne().Args.Keys.ShouldNotContain("business_entity_number");

    [Fact]
    public void Carries_neither_russian_nor_israeli_details_for_a_request_from_another_country()
    {
        var args = Rule.On(RequestCreated(country: "kaz"), Context()).ShouldEnqueueOne().Args;
        args.Keys.Where(k => RussiaOnly.Contains(k) || k == "business_entity_number").ShouldBeEmpty();
        args["locale"].ShouldBe("kaz");
    }

    [Fact]
    public void Carries_the_russian_and_israeli_details_only_for_their_own_country_whatever_else_the_producer_sends()
    {
        var russian = RequestCreated().Russia;
        var israeli = RequestCreated(country: "isr").Israel;
        var args = Rule.On(RequestCreated(country: "kaz") with { Russia = russian, Israel = israeli }, Context()).ShouldEnqueueOne().Args;
        args.Keys.Where(k => RussiaOnly.Contains(k) || k == "business_entity_number").ShouldBeEmpty();
    }

    [Fact]
    public void Is_the_one_letter_of_a_created_request_which_also_dequeues_the_client_s_trial_follow_up() =>
        Evaluate(RequestCreated(), Context()).ShouldBe(["Dequeue TrialFollowUpNotice", "Enqueue ClientRequestCreatedNotice @+00:00:00"]);

    [Fact]
    public void Is_not_sent_for_any_other_event()
    {
        Rule.On(RequestStatus(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted), Context()).ShouldBeEmpty();
        Rule.On(Trial(), Context()).ShouldBeEmpty();
    }
}
