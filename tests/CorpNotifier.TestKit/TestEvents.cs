using CorpNotifier.Contracts;

namespace CorpNotifier.TestKit;

/// <summary>
/// The events as producers send them, stamped with one clock: a test host's movable clock,
/// the real clock (<see cref="RealTime"/>) for the system tests, or a fixed moment for rule tests.
/// What tests vary is a parameter; everything else is one client's plain defaults: Acme LLC in
/// Russia on Moscow time, writing in Russian, with contract <see cref="DefaultContractId"/>
/// (number <see cref="DefaultExternalId"/>) in roubles. Each event gets a new id unless given one.
/// To send one as JSON, tests use the service's own writer, <c>EventEnvelopeReader.Write</c>.
/// </summary>
public sealed class TestEvents
{
    public const string DefaultContractId = "contract-7";

    public const string DefaultExternalId = "ДГ-7";

    private readonly Func<DateTimeOffset> _now;

    /// <summary>Events that happen at <paramref name="clock"/>'s now.</summary>
    public TestEvents(TimeProvider clock)
    {
        _now = clock.GetUtcNow;
    }

    /// <summary>Events that all happen at <paramref name="moment"/> unless given another.</summary>
    public TestEvents(DateTimeOffset moment)
    {
        _now = () => moment;
    }

    /// <summary>Events that happen now, on the real clock.</summary>
    public static TestEvents RealTime { get; } = new(TimeProvider.System);

    /// <summary>The address a client's profile carries unless given others.</summary>
    public static string EmailOf(string clientId) => $"{clientId}@clients.example";

    /// <summary>The client's profile: Acme LLC, <c>rus</c>, <c>Europe/Moscow</c>; by default one address, <see cref="EmailOf"/>.</summary>
    public ClientProfileChanged Profile(string clientId, IReadOnlyList<string>? emails = null, string locale = "ru", string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("profile"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        Name = "Acme LLC",
        Country = "rus",
        Locale = locale,
        TimeZone = "Europe/Moscow",
        Emails = emails ?? [EmailOf(clientId)],
    };

    /// <summary>A contract created (<paramref name="from"/> is <c>null</c>) or changed from one state to another.</summary>
    public ContractChanged Contract(
        string clientId,
        ContractState? from,
        ContractState to,
        string contractId = DefaultContractId,
        string? temporaryPassword = null,
        string? eventId = null,
        DateTimeOffset? at = null) => new()
        {
            EventId = eventId ?? NewId("contract"),
            OccurredAt = at ?? _now(),
            ClientId = clientId,
            ContractId = contractId,
            ExternalId = DefaultExternalId,
            Old = from,
            New = to,
            TemporaryPassword = temporaryPassword,
        };

    /// <summary>
    /// A re-sync of a known contract (old = new, <see cref="KnownState"/>): the directory learns
    /// the contract and its thresholds, and no contract letter starts.
    /// </summary>
    public ContractChanged ContractResync(string clientId, string contractId = DefaultContractId, decimal low = 100, decimal deactivate = 25, string? eventId = null, DateTimeOffset? at = null) =>
        Contract(clientId, KnownState(low, deactivate), KnownState(low, deactivate), contractId, eventId: eventId, at: at);

    /// <summary>An active prepaid taxi contract, offer accepted, with low-balance warnings below <paramref name="low"/> and deactivation below <paramref name="deactivate"/>.</summary>
    public static ContractState KnownState(decimal low = 100, decimal deactivate = 25) => new()
    {
        IsActive = true,
        IsOffer = false,
        OfferAccepted = true,
        PaymentType = PaymentTypes.Prepaid,
        Services = ["taxi"],
        LowBalanceThreshold = low,
        DeactivateThreshold = deactivate,
        LowBalanceNotificationsEnabled = true,
    };

    /// <summary>A contract's balance moved from <paramref name="from"/> to <paramref name="to"/> roubles.</summary>
    public BalanceChanged Balance(string clientId, decimal from, decimal to, string contractId = DefaultContractId, string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("balance"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        ContractId = contractId,
        OldBalance = from,
        NewBalance = to,
        Currency = "RUB",
    };

    /// <summary>A completed order, by default a taxi ride with a new order id.</summary>
    public OrderCompleted Order(string clientId, string? orderId = null, string service = "taxi", string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("order"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        OrderId = orderId ?? Guid.NewGuid().ToString(),
        Service = service,
    };

    /// <summary>A self-service request for a contract, by default a Russian company's taxi request with one reference.</summary>
    public ClientRequestCreated RequestCreated(string clientId, string requestId = "request-1", string country = "rus", string contractType = RequestContractTypes.Taxi, string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("request"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        RequestId = requestId,
        Country = country,
        ContractType = contractType,
        CompanyName = "Acme",
        EnterpriseNameFull = "Общество с ограниченной ответственностью «Акме»",
        EnterpriseNameShort = "ООО «Акме»",
        LegalForm = "ООО",
        CompanyTin = "7701234567",
        City = "Москва",
        YandexLogin = "acme-corp",
        Contact = new RequestContact { Name = "Анна Петрова", Email = $"contact.{clientId}@clients.example", Phone = "+79990001122" },
        Signer = new RequestSigner { Name = "Иван Иванов", Position = "Генеральный директор", Gender = "male" },
        OfferAccepted = true,
        References = new Dictionary<string, string> { ["utm_source"] = "search", ["utm_campaign"] = "autumn" },
        Russia = country == "rus"
            ? new RussianCompany { Ogrn = "1027700132195", Kpp = "770101001", BankBic = "044525225", BankAccount = "40702810938000000001", RegistrationDate = new DateTimeOffset(2015, 3, 4, 9, 30, 0, TimeSpan.Zero) }
            : null,
        Israel = country == "isr" ? new IsraeliCompany { BusinessEntityNumber = "515555555" } : null,
    };

    /// <summary>A self-service request's status changed (e.g. pending → accepted).</summary>
    public ClientRequestStatusChanged RequestStatus(string clientId, string from, string to, string requestId = "request-1", string? rejectReason = null, string contractType = RequestContractTypes.Taxi, string country = "rus", string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("request-status"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        RequestId = requestId,
        Old = new ClientRequestStatus { Status = from },
        New = new ClientRequestStatus { Status = to, RejectReason = rejectReason },
        ContractType = contractType,
        CompanyTin = "7701234567",
        YandexLogin = "acme-corp",
        Country = country,
    };

    /// <summary>
    /// A sales manager's request changed status. Without <paramref name="clientId"/> it belongs to no
    /// client yet; <paramref name="requestClientId"/> and <paramref name="temporaryPassword"/> (a Fernet
    /// token) are what an accepted request carries.
    /// </summary>
    public ManagerRequestStatusChanged ManagerRequest(
        string? clientId,
        string from,
        string to,
        string requestId = "manager-request-1",
        string service = Services.Taxi,
        string? requestClientId = null,
        string? temporaryPassword = null,
        string? reason = null,
        string managerLogin = "m.smirnov",
        string? eventId = null,
        DateTimeOffset? at = null) => new()
        {
            EventId = eventId ?? NewId("manager-request"),
            OccurredAt = at ?? _now(),
            ClientId = clientId,
            RequestId = requestId,
            Old = new ManagerRequestStatus { Status = from },
            New = new ManagerRequestStatus { Status = to, Reason = reason },
            Request = new ManagerRequest
            {
                Service = service,
                Status = to,
                Manager = new SalesManager { Login = managerLogin, FirstName = "Мария", LastName = "Смирнова" },
                Country = "rus",
                EnterpriseNameShort = "ООО «Акме»",
                EnterpriseNameFull = "Общество с ограниченной ответственностью «Акме»",
                ContractType = PaymentTypes.Postpaid,
                CompanyTin = "7701234567",
                CompanyCio = "770101001",
                Kbe = "17",
                City = "Москва",
                LegalAddress = "Москва, ул. Льва Толстого, 16",
                MailingAddress = "Москва, ул. Льва Толстого, 16",
                Contacts = [new RequestContact { Name = "Анна Петрова", Email = "anna@acme.example", Phone = "+79990001122" }],
                BankAccountNumber = "40702810938000000001",
                BankName = "ПАО Сбербанк",
                BankBic = "044525225",
                SignerName = "Иван Иванов",
                SignerPosition = "Генеральный директор",
                SignerDulyAuthorized = SignerAuthorities.Charter,
                Attachments = [new RequestAttachment { Url = "https://files.example/charter.pdf", Filename = "charter.pdf" }],
                CrmLink = "https://crm.example/requests/1",
                StLink = null,
                ClientLogin = "acme-corp",
                Billing = new BillingIds { ExternalId = "ДГ-7", ClientId = "b-1", PersonId = "p-1", ContractId = "bc-1" },
                AdditionalInformation = null,
                ClientId = requestClientId,
                ClientTmpPassword = temporaryPassword,
            },
        };

    /// <summary>A trial sign-up: <c>client_trial</c> without a password, <c>register_trial</c> with <paramref name="encryptedPassword"/>.</summary>
    public NewTrialClient Trial(string clientId, string flow = TrialFlows.ClientTrial, string? encryptedPassword = null, string contractType = Services.Taxi, string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("trial"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        YandexLogin = "acme-trial",
        ContractType = contractType,
        Flow = flow,
        EncryptedPassword = encryptedPassword,
        Draft = new TrialDraft
        {
            Country = "rus",
            CompanyName = "Acme",
            City = "Москва",
            Contact = new RequestContact { Name = "Анна Петрова", Email = $"contact.{clientId}@clients.example", Phone = "+79990001122" },
            References = new Dictionary<string, string> { ["utm_source"] = "search" },
        },
    };

    /// <summary>A repeated trial sign-up; <paramref name="used"/> adds one attendance of the existing account.</summary>
    public DuplicateTrialClient DuplicateTrial(string clientId, bool used, string contractType = Services.Taxi, string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("duplicate-trial"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        YandexLogin = "acme-trial",
        ContractType = contractType,
        Attendances = used ? [new Attendance { YandexUid = "uid-1", FirstSeen = new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero), LastSeen = null }] : [],
    };

    /// <summary>An operator blocked (active → inactive) or unblocked a contract.</summary>
    public ContractSettingsChanged ContractSettings(string clientId, bool wasActive, bool isActive, string reason = "debt", string contractId = DefaultContractId, string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("contract-settings"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        ContractId = contractId,
        Reason = reason,
        Old = new ContractActivity { IsActive = wasActive },
        New = new ContractActivity { IsActive = isActive },
    };

    /// <summary>A contract's credit threshold changed type (and amount).</summary>
    public ContractThresholdUpdated Threshold(string clientId, string? fromType, string? toType, decimal? amount = 10000m, string contractId = DefaultContractId, string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? NewId("threshold"),
        OccurredAt = at ?? _now(),
        ClientId = clientId,
        ContractId = contractId,
        Old = new CreditThreshold { Threshold = fromType is null ? null : amount, ThresholdType = fromType },
        New = new CreditThreshold { Threshold = amount, ThresholdType = toType },
    };

    private static string NewId(string type) => $"{type}-{Guid.NewGuid():N}";
}
