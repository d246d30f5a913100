using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Requests;

/// <summary>A client's self-service request for a contract was created: the moderators get everything to review it.</summary>
public sealed class ClientRequestCreatedNotice : NoticeRule, IReactsTo<ClientRequestCreated>
{
    public override NoticeCategory Category => NoticeCategory.Requests;

    private static readonly string[] RussiaOnly = ["ogrn", "kpp", "bik", "account", "registration_date"];
    private static readonly string[] IsraelOnly = ["business_entity_number"];

    public override Audience Audience => Audience.Staff;

    public override string Trigger => "ClientRequestCreated";

    public override IReadOnlyList<string> Arguments =>
    [
        "letter_id", "request_id", "client_id", "company_name", "contact_name", "contact_phone", "contact_email", "city",
        "yandex_login", "locale", "full_corp_name", "short_corp_name", "corp_form", "inn", "signer_name", "signer_position",
        "signer_sex", "offer", "references", "contract_type", .. RussiaOnly, .. IsraelOnly,
    ];

    public override IReadOnlySet<string> OptionalArguments => new HashSet<string>([.. RussiaOnly, .. IsraelOnly, "references"]);

    public IEnumerable<NoticeAction> On(ClientRequestCreated evt, RuleContext context)
    {
        var args = new Dictionary<string, object?>
        {
            ["letter_id"] = evt.RequestId,
            ["request_id"] = evt.RequestId,
            ["client_id"] = evt.ClientId,
            ["company_name"] = evt.CompanyName,
            ["contact_name"] = evt.Contact.Name,
            ["contact_phone"] = evt.Contact.Phone,
            ["contact_email"] = evt.Contact.Email,
            ["city"] = evt.City,
            ["yandex_login"] = evt.YandexLogin,
            ["locale"] = evt.Country,
            ["full_corp_name"] = evt.EnterpriseNameFull,
            ["short_corp_name"] = evt.EnterpriseNameShort,
            ["corp_form"] = evt.LegalForm,
            ["inn"] = evt.CompanyTin,
            ["signer_name"] = evt.Signer.Name,
            ["signer_position"] = evt.Signer.Position,
            ["signer_sex"] = evt.Signer.Gender,
            ["offer"] = evt.OfferAccepted,
            ["references"] = RequestArguments.References(evt.References),
            ["contract_type"] = evt.ContractType,
        };
        if (evt.Country == "rus" && evt.Russia is { } russia)
        {
            args["ogrn"] = russia.Ogrn;
            args["kpp"] = russia.Kpp;
            args["bik"] = russia.BankBic;
            args["account"] = russia.BankAccount;
            args["registration_date"] = RequestArguments.Moment(russia.RegistrationDate);
        }

        if (evt.Country == "isr" && evt.Israel is { } israel)
        {
            args["business_entity_number"] = israel.BusinessEntityNumber;
        }

        yield return EnqueueFor(evt.Country, context, contractId: null, args);
    }
}
