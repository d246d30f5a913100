using CorpNotifier.Contracts;
using CorpNotifier.Rules.Requests;

namespace CorpNotifier.Rules.Managers;

/// <summary>
/// A letter to the sales manager who filled in a request, when it is accepted or rejected, for
/// the request's service only (the Taxi and Cargo pairs share this). The request's data goes in as
/// the mail service's templates name it; the codes people read (status, service, payment type, the
/// signer's authority) as Russian display text, as the production letters have them. These are the
/// only letters whose arguments carry display text: every other letter hands the mail service the
/// producer's codes (ADR 0010).
/// </summary>
public abstract class ManagerRequestRule : NoticeRule, IReactsTo<ManagerRequestStatusChanged>
{
    public override NoticeCategory Category => NoticeCategory.Requests;

    /// <summary>Every argument of the accepted letter; the rejected one drops two and adds <c>reason</c>.</summary>
    protected static readonly string[] RequestArgumentNames =
    [
        "status", "country", "service", "enterprise_name_short", "enterprise_name_full", "contract_type", "company_tin",
        "company_cio", "kbe", "city", "legal_address", "mailing_address", "contacts", "bank_account_number", "bank_name",
        "bank_bic", "signer_name", "signer_position", "signer_duly_authorized", "attachments", "crm_link", "st_link",
        "client_login", "billing_external_id", "billing_client_id", "billing_person_id", "billing_contract_id",
    ];

    public override Audience Audience => Audience.Manager;

    public override IReadOnlySet<string> OptionalArguments =>
        new HashSet<string> { "city", "bank_name", "crm_link", "st_link", "additional_information", "contacts", "attachments", "reason" };

    /// <summary>The request's service this letter is for (<c>taxi</c> or <c>cargo</c>).</summary>
    protected abstract string Service { get; }

    /// <summary>The status change this letter announces.</summary>
    protected abstract bool Announces(ManagerRequestStatusChanged evt);

    /// <summary>The arguments particular to this letter, beside the request's.</summary>
    protected abstract void AddOwn(Dictionary<string, object?> args, ManagerRequestStatusChanged evt);

    public IEnumerable<NoticeAction> On(ManagerRequestStatusChanged evt, RuleContext context)
    {
        if (evt.Request.Service != Service || !Announces(evt))
        {
            yield break;
        }

        var args = RequestArgs(evt.Request, context);
        AddOwn(args, evt);
        var manager = context.StaffEmailDomain is { Length: > 0 } domain ? [$"{evt.Request.Manager.Login}@{domain}"] : Array.Empty<string>();
        yield return EnqueueFor(evt.Request.Country, context, contractId: null, args, manager);
    }

    private static Dictionary<string, object?> RequestArgs(ManagerRequest request, RuleContext context) => new()
    {
        ["status"] = context.Display(RequestArguments.Tables.Status, request.Status),
        ["country"] = request.Country,
        ["service"] = context.Display(RequestArguments.Tables.Service, request.Service),
        ["enterprise_name_short"] = request.EnterpriseNameShort,
        ["enterprise_name_full"] = request.EnterpriseNameFull,
        ["contract_type"] = context.Display(RequestArguments.Tables.ContractType, request.ContractType),
        ["company_tin"] = request.CompanyTin,
        ["company_cio"] = request.CompanyCio,
        ["kbe"] = request.Kbe,
        ["city"] = request.City ?? "",
        ["legal_address"] = request.LegalAddress,
        ["mailing_address"] = request.MailingAddress,
        ["contacts"] = request.Contacts.Select(c => new Dictionary<string, object?> { ["name"] = c.Name, ["email"] = c.Email, ["phone"] = c.Phone }).ToList(),
        ["bank_account_number"] = request.BankAccountNumber,
        ["bank_name"] = request.BankName ?? "",
        ["bank_bic"] = request.BankBic,
        ["signer_name"] = request.SignerName,
        ["signer_position"] = request.SignerPosition,
        ["signer_duly_authorized"] = context.Display(RequestArguments.Tables.SignerDulyAuthorized, request.SignerDulyAuthorized),
        ["attachments"] = request.Attachments.Select(a => new Dictionary<string, object?> { ["url"] = a.Url, ["filename"] = a.Filename }).ToList(),
        ["crm_link"] = request.CrmLink ?? "",
        ["st_link"] = request.StLink ?? "",
        ["client_login"] = request.ClientLogin,
        ["billing_external_id"] = request.Billing.ExternalId,
        ["billing_client_id"] = request.Billing.ClientId,
        ["billing_person_id"] = request.Billing.PersonId,
        ["billing_contract_id"] = request.Billing.ContractId,
    };
}

/// <summary>The manager's request was accepted.</summary>
public abstract class ManagerRequestAcceptedRule : ManagerRequestRule
{
    public override string Trigger => $"ManagerRequestStatusChanged to accepted, request.service {Service}";

    public override IReadOnlyList<string> Arguments => ["manager_name", .. RequestArgumentNames, "additional_information"];

    protected override bool Announces(ManagerRequestStatusChanged evt) => RequestStatus.BecameAccepted(evt);

    protected override void AddOwn(Dictionary<string, object?> args, ManagerRequestStatusChanged evt)
    {
        var manager = evt.Request.Manager;
        args["manager_name"] = $"{manager.FirstName} {manager.LastName} @{manager.Login}";
        args["additional_information"] = evt.Request.AdditionalInformation ?? "";
    }
}

/// <summary>The manager's request was rejected.</summary>
public abstract class ManagerRequestRejectedRule : ManagerRequestRule
{
    public override string Trigger => $"ManagerRequestStatusChanged to rejected, request.service {Service}";

    public override IReadOnlyList<string> Arguments => [.. RequestArgumentNames, "reason"];

    protected override bool Announces(ManagerRequestStatusChanged evt) => RequestStatus.BecameRejected(evt);

    protected override void AddOwn(Dictionary<string, object?> args, ManagerRequestStatusChanged evt) =>
        args["reason"] = evt.New.Reason ?? "";
}
