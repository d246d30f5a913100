using CorpNotifier.Contracts;

namespace CorpNotifier.TestKit;

/// <summary>
/// The four events as producers send them, stamped with one clock: a test host's movable clock,
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

    private static string NewId(string type) => $"{type}-{Guid.NewGuid():N}";
}
