using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Contracts;

/// <summary>
/// A request a sales manager filled in for a company changed status. The only event whose
/// <see cref="ClientId"/> may be <c>null</c>: the request may not belong to a client yet.
/// </summary>
public sealed record ManagerRequestStatusChanged : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The client the request belongs to, when it belongs to one yet; <c>null</c> otherwise.</summary>
    public string? ClientId { get; init; }

    /// <summary>The request's id in the requests service.</summary>
    public required string RequestId { get; init; }

    /// <summary>The status before the change.</summary>
    public required ManagerRequestStatus Old { get; init; }

    /// <summary>The status after the change.</summary>
    public required ManagerRequestStatus New { get; init; }

    /// <summary>The request as it is now.</summary>
    public required ManagerRequest Request { get; init; }
}

/// <summary>A manager's request's status.</summary>
public sealed record ManagerRequestStatus
{
    /// <summary><c>pending</c>, <c>accepting</c>, <c>accepted</c>, <c>rejected</c> or <c>failed</c> (see <see cref="ManagerRequestStatuses"/>).</summary>
    [AllowedValues(ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepting, ManagerRequestStatuses.Accepted, ManagerRequestStatuses.Rejected, ManagerRequestStatuses.Failed)]
    public required string Status { get; init; }

    /// <summary>Why, with <c>rejected</c> or <c>failed</c>.</summary>
    public string? Reason { get; init; }
}

/// <summary>What a sales manager filled in for a company.</summary>
public sealed record ManagerRequest
{
    /// <summary>The service the contract is for: <c>taxi</c> or <c>cargo</c> (see <see cref="Services"/>).</summary>
    [AllowedValues(Services.Taxi, Services.Cargo)]
    public required string Service { get; init; }

    /// <summary>The request's current status (as <see cref="ManagerRequestStatus.Status"/>).</summary>
    [AllowedValues(ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepting, ManagerRequestStatuses.Accepted, ManagerRequestStatuses.Rejected, ManagerRequestStatuses.Failed)]
    public required string Status { get; init; }

    /// <summary>The manager who filled it in.</summary>
    public required SalesManager Manager { get; init; }

    /// <summary>The country of the contract, e.g. <c>rus</c>.</summary>
    public required string Country { get; init; }

    /// <summary>The company's short legal name.</summary>
    public required string EnterpriseNameShort { get; init; }

    /// <summary>The company's full legal name.</summary>
    public required string EnterpriseNameFull { get; init; }

    /// <summary>How the company pays: <c>prepaid</c> or <c>postpaid</c> (see <see cref="PaymentTypes"/>).</summary>
    [AllowedValues(PaymentTypes.Prepaid, PaymentTypes.Postpaid)]
    public required string ContractType { get; init; }

    /// <summary>The company's tax id.</summary>
    public required string CompanyTin { get; init; }

    /// <summary>The company's tax registration reason code.</summary>
    public required string CompanyCio { get; init; }

    /// <summary>The beneficiary code (Kazakhstan).</summary>
    public required string Kbe { get; init; }

    /// <summary>The city.</summary>
    public string? City { get; init; }

    /// <summary>The legal address.</summary>
    public required string LegalAddress { get; init; }

    /// <summary>The mailing address.</summary>
    public required string MailingAddress { get; init; }

    /// <summary>People to contact.</summary>
    public IReadOnlyList<RequestContact> Contacts { get; init; } = [];

    /// <summary>The company's bank account number.</summary>
    public required string BankAccountNumber { get; init; }

    /// <summary>The bank's name.</summary>
    public string? BankName { get; init; }

    /// <summary>The bank's identification code.</summary>
    public required string BankBic { get; init; }

    /// <summary>Who signs the contract.</summary>
    public required string SignerName { get; init; }

    /// <summary>The signer's position.</summary>
    public required string SignerPosition { get; init; }

    /// <summary>What authorises the signer: <c>charter</c>, <c>power_of_attorney</c> or <c>authority_agreement</c> (see <see cref="SignerAuthorities"/>).</summary>
    [AllowedValues(SignerAuthorities.Charter, SignerAuthorities.PowerOfAttorney, SignerAuthorities.AuthorityAgreement)]
    public required string SignerDulyAuthorized { get; init; }

    /// <summary>Documents attached to the request.</summary>
    public IReadOnlyList<RequestAttachment> Attachments { get; init; } = [];

    /// <summary>A link to the request in the CRM.</summary>
    public string? CrmLink { get; init; }

    /// <summary>A link to the request's ticket.</summary>
    public string? StLink { get; init; }

    /// <summary>The login the client will sign in with.</summary>
    public required string ClientLogin { get; init; }

    /// <summary>The billing system's ids for the company.</summary>
    public required BillingIds Billing { get; init; }

    /// <summary>Anything else the manager wrote.</summary>
    public string? AdditionalInformation { get; init; }

    /// <summary>The client the request created, once it did.</summary>
    public string? ClientId { get; init; }

    /// <summary>
    /// The client's temporary password, as a Fernet token (see corp-notifier's documentation on
    /// secrets). A secret: it reaches the activation letter only, decrypted when the letter is
    /// handed to the mailer, and is masked in storage.
    /// </summary>
    public string? ClientTmpPassword { get; init; }
}

/// <summary>A sales manager.</summary>
public sealed record SalesManager
{
    /// <summary>Their login; their address is <c>{login}@</c> the staff email domain.</summary>
    public required string Login { get; init; }

    /// <summary>Their first name.</summary>
    public required string FirstName { get; init; }

    /// <summary>Their last name.</summary>
    public required string LastName { get; init; }
}

/// <summary>A document attached to a request.</summary>
public sealed record RequestAttachment
{
    /// <summary>Where it can be downloaded.</summary>
    public required string Url { get; init; }

    /// <summary>Its file name.</summary>
    public required string Filename { get; init; }
}

/// <summary>The billing system's ids for a company.</summary>
public sealed record BillingIds
{
    /// <summary>The contract's external id.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The billing client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The billing person id.</summary>
    public required string PersonId { get; init; }

    /// <summary>The billing contract id.</summary>
    public required string ContractId { get; init; }
}
