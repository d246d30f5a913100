using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Managers;

/// <summary>
/// What every letter to a sales manager about a request does, for the service it is about; the
/// accepted and rejected bases say which status change starts it and what it adds.
/// </summary>
public abstract class ManagerRequestTests<TRule>(string service, string otherService, string serviceText)
    where TRule : NoticeRule, new()
{
    protected static readonly TRule Rule = new();

    /// <summary>The service of the requests this letter is about.</summary>
    protected string Service { get; } = service;

    /// <summary>The request's fields every manager letter carries, as the mail service's templates name them.</summary>
    protected static readonly string[] RequestFields =
    [
        "status", "country", "service", "enterprise_name_short", "enterprise_name_full", "contract_type", "company_tin",
        "company_cio", "kbe", "city", "legal_address", "mailing_address", "contacts", "bank_account_number", "bank_name",
        "bank_bic", "signer_name", "signer_position", "signer_duly_authorized", "attachments", "crm_link", "st_link",
        "client_login", "billing_external_id", "billing_client_id", "billing_person_id", "billing_contract_id",
    ];

    /// <summary>The status the request comes from in the change this letter announces.</summary>
    protected abstract string From { get; }

    /// <summary>The status this letter announces.</summary>
    protected abstract string To { get; }

    /// <summary>The display text of <see cref="To"/>.</summary>
    protected abstract string StatusText { get; }

    /// <summary>Status changes of the letter's service that must not start it.</summary>
    protected abstract IEnumerable<(string From, string To)> NotAnnounced { get; }

    /// <summary>Every argument of the letter, no more.</summary>
    protected abstract IEnumerable<string> ArgumentNames { get; }

    /// <summary>The letter's own optional text argument, empty when the event has none.</summary>
    protected abstract string OwnOptionalArgument { get; }

    /// <summary>The change this letter announces, of a request of its service.</summary>
    protected ManagerRequestStatusChanged Announced(string? clientId = "client-42", string managerLogin = "m.smirnov", string? reason = null) =>
        ManagerRequestChange(From, To, Service, clientId, reason, managerLogin);

    [Fact]
    public void Is_sent_at_once_to_the_sales_manager_who_filled_in_the_request()
    {
        var action = Rule.On(Announced(), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.UniqueKey.ShouldBeNull();
        action.Recipients.ShouldBe(["m.smirnov@staff.example"]);
        action.Country.ShouldBe("rus");
        Rule.Audience.ShouldBe(Audience.Manager);
    }

    [Fact]
    public void Goes_to_the_login_of_the_request_s_own_manager_at_the_staff_domain() =>
        Rule.On(Announced(managerLogin: "a.volkova"), Context(staffEmailDomain: "corp.example")).ShouldEnqueueOne()
            .Recipients.ShouldBe(["a.volkova@corp.example"]);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Goes_to_no_manager_address_without_a_staff_email_domain(string? domain)
    {
        var action = Rule.On(Announced(), Context(staffEmailDomain: domain)).ShouldEnqueueOne();
        action.Recipients.ShouldBeEmpty();
        action.Country.ShouldBe("rus");
    }

    [Fact]
    public void Goes_to_the_extra_recipients_of_the_request_s_country()
    {
        var evt = Announced();
        Rule.On(evt with { Request = evt.Request with { Country = "kaz" } }, Context()).ShouldEnqueueOne().Country.ShouldBe("kaz");
    }

    [Fact]
    public void Is_sent_for_a_request_that_belongs_to_no_client_yet()
    {
        var action = Rule.On(Announced(clientId: null), Context() with { Client = null }).ShouldEnqueueOne();
        action.Recipients.ShouldBe(["m.smirnov@staff.example"]);
    }

    [Fact]
    public void Carries_exactly_its_arguments() =>
        Rule.On(Announced(), Context()).ShouldEnqueueOne().Args.Keys.ShouldBe(ArgumentNames, ignoreOrder: true);

    [Fact]
    public void Carries_the_request_s_fields_with_display_text_for_status_service_contract_type_and_signer_authority() =>
        Rule.On(Announced(), Context()).ShouldEnqueueOne().Args.ShouldCarry(new Dictionary<string, object?>
        {
            ["status"] = StatusText,
            ["country"] = "rus",
            ["service"] = serviceText,
            ["enterprise_name_short"] = "ООО «Акме»",
            ["enterprise_name_full"] = "Общество с ограниченной ответственностью «Акме»",
            ["contract_type"] = "Постоплата",
            ["company_tin"] = "7701234567",
            ["company_cio"] = "770101001",
            ["kbe"] = "17",
            ["city"] = "Москва",
            ["legal_address"] = "Москва, ул. Льва Толстого, 16",
            ["mailing_address"] = "Москва, ул. Льва Толстого, 16",
            ["bank_account_number"] = "40702810938000000001",
            ["bank_name"] = "ПАО Сбербанк",
            ["bank_bic"] = "044525225",
            ["signer_name"] = "Иван Иванов",
            ["signer_position"] = "Генеральный директор",
            ["signer_duly_authorized"] = "Устав",
            ["crm_link"] = "https://crm.example/requests/1",
            ["client_login"] = "acme-corp",
            ["billing_external_id"] = "ДГ-7",
            ["billing_client_id"] = "b-1",
            ["billing_person_id"] = "p-1",
            ["billing_contract_id"] = "bc-1",
        });

    [Fact]
    public void Shows_a_code_without_display_text_as_the_code()
    {
        var evt = Announced();
        var args = Rule.On(evt with { Request = evt.Request with { SignerDulyAuthorized = SignerAuthorities.AuthorityAgreement } }, Context()).ShouldEnqueueOne().Args;
        args["signer_duly_authorized"].ShouldBe("authority_agreement");
    }

    [Fact]
    public void Carries_the_contacts_and_attachments_as_lists()
    {
        var evt = Announced();
        evt = evt with
        {
            Request = evt.Request with
            {
                Contacts =
                [
                    new RequestContact { Name = "Анна Петрова", Email = "anna@acme.example", Phone = "+79990001122" },
                    new RequestContact { Name = "Олег Сидоров", Email = "oleg@acme.example", Phone = "+79990003344" },
                ],
            },
        };
        var stored = Stored(Rule.On(evt, Context()).ShouldEnqueueOne());
        stored["contacts"].ShouldBeJson("""
            [
              { "name": "Анна Петрова", "email": "anna@acme.example", "phone": "+79990001122" },
              { "name": "Олег Сидоров", "email": "oleg@acme.example", "phone": "+79990003344" }
            ]
            """);
        stored["attachments"].ShouldBeJson("""[{ "url": "https://files.example/charter.pdf", "filename": "charter.pdf" }]""");
    }

    [Fact]
    public void Carries_empty_lists_when_the_request_has_no_contacts_or_attachments()
    {
        var evt = Announced();
        var stored = Stored(Rule.On(evt with { Request = evt.Request with { Contacts = [], Attachments = [] } }, Context()).ShouldEnqueueOne());
        stored["contacts"].ShouldBeJson("[]");
        stored["attachments"].ShouldBeJson("[]");
    }

    [Fact]
    public void Carries_empty_text_for_missing_optional_fields()
    {
        var evt = Announced();
        evt = evt with { Request = evt.Request with { City = null, BankName = null, CrmLink = null, StLink = null, AdditionalInformation = null }, New = evt.New with { Reason = null } };
        Rule.On(evt, Context()).ShouldEnqueueOne().Args.ShouldCarry(new Dictionary<string, object?>
        {
            ["city"] = "",
            ["bank_name"] = "",
            ["crm_link"] = "",
            ["st_link"] = "",
            [OwnOptionalArgument] = "",
        });
    }

    [Fact]
    public void Does_not_carry_the_client_s_temporary_password()
    {
        var args = Rule.On(Announced(), Context()).ShouldEnqueueOne().Args;
        args.Values.ShouldNotContain(PasswordToken);
        args.Keys.ShouldNotContain("client_tmp_password");
        Rule.SecretArguments.ShouldBeEmpty();
    }

    [Fact]
    public void Is_not_sent_for_a_request_of_the_other_service() =>
        Rule.On(ManagerRequestChange(From, To, otherService), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_for_other_status_changes()
    {
        foreach (var (from, to) in NotAnnounced)
        {
            Rule.On(ManagerRequestChange(from, to, Service), Context()).ShouldBeEmpty($"{from} → {to}");
        }
    }

    [Fact]
    public void Is_not_sent_when_the_status_does_not_change() =>
        Rule.On(ManagerRequestChange(To, To, Service), Context()).ShouldBeEmpty();
}
