using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Contracts;

/// <summary>A client's self-service request for a contract was created.</summary>
public sealed record ClientRequestCreated : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The client the request belongs to (a trial client, or the client that will hold the contract).</summary>
    public required string ClientId { get; init; }

    /// <summary>The request's id in the requests service.</summary>
    public required string RequestId { get; init; }

    /// <summary>The country of the requested contract: a lower-case ISO 3166 alpha-3 code, e.g. <c>rus</c>, <c>isr</c>, <c>kaz</c>.</summary>
    public required string Country { get; init; }

    /// <summary>What the contract is for: <c>taxi</c>, <c>cargo</c> or <c>multi</c> (see <see cref="RequestContractTypes"/>).</summary>
    [AllowedValues(RequestContractTypes.Taxi, RequestContractTypes.Cargo, RequestContractTypes.Multi)]
    public required string ContractType { get; init; }

    /// <summary>The company's name as the client typed it.</summary>
    public required string CompanyName { get; init; }

    /// <summary>The company's full legal name.</summary>
    public required string EnterpriseNameFull { get; init; }

    /// <summary>The company's short legal name.</summary>
    public required string EnterpriseNameShort { get; init; }

    /// <summary>The legal form, e.g. <c>ООО</c>.</summary>
    public required string LegalForm { get; init; }

    /// <summary>The company's tax id (INN in Russia).</summary>
    public required string CompanyTin { get; init; }

    /// <summary>The city the company works in.</summary>
    public required string City { get; init; }

    /// <summary>The login the client signs in with.</summary>
    public required string YandexLogin { get; init; }

    /// <summary>Who to talk to about the request.</summary>
    public required RequestContact Contact { get; init; }

    /// <summary>Who signs the contract.</summary>
    public required RequestSigner Signer { get; init; }

    /// <summary>The client accepted the public offer with the request.</summary>
    public required bool OfferAccepted { get; init; }

    /// <summary>Where the client came from: advertising and UTM tags, name to value, in the order given.</summary>
    public IReadOnlyDictionary<string, string> References { get; init; } = new Dictionary<string, string>();

    /// <summary>Details of a Russian company; required when <see cref="Country"/> is <c>rus</c>.</summary>
    public RussianCompany? Russia { get; init; }

    /// <summary>Details of an Israeli company; required when <see cref="Country"/> is <c>isr</c>.</summary>
    public IsraeliCompany? Israel { get; init; }
}

/// <summary>A person to contact about a request.</summary>
public sealed record RequestContact
{
    /// <summary>Their name.</summary>
    public required string Name { get; init; }

    /// <summary>Their email address.</summary>
    public required string Email { get; init; }

    /// <summary>Their phone number.</summary>
    public required string Phone { get; init; }
}

/// <summary>The person who signs a contract.</summary>
public sealed record RequestSigner
{
    /// <summary>Their full name.</summary>
    public required string Name { get; init; }

    /// <summary>Their position, e.g. <c>Генеральный директор</c>.</summary>
    public required string Position { get; init; }

    /// <summary>Their gender as the legal documents need it: <c>male</c> or <c>female</c>.</summary>
    [AllowedValues("male", "female")]
    public required string Gender { get; init; }
}

/// <summary>What a Russian company's contract needs.</summary>
public sealed record RussianCompany
{
    /// <summary>The primary state registration number (OGRN).</summary>
    public required string Ogrn { get; init; }

    /// <summary>The tax registration reason code (KPP).</summary>
    public required string Kpp { get; init; }

    /// <summary>The bank's identification code (BIC).</summary>
    public required string BankBic { get; init; }

    /// <summary>The company's bank account number.</summary>
    public required string BankAccount { get; init; }

    /// <summary>When the company was registered.</summary>
    public required DateTimeOffset RegistrationDate { get; init; }
}

/// <summary>What an Israeli company's contract needs.</summary>
public sealed record IsraeliCompany
{
    /// <summary>The business entity number.</summary>
    public required string BusinessEntityNumber { get; init; }
}
