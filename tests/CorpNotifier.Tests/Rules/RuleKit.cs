using CorpNotifier.Contracts;
using CorpNotifier.Rules;

namespace CorpNotifier.Tests.Rules;

/// <summary>Builds events and contexts for rule tests; rules are pure, so no host is needed.</summary>
public static class RuleKit
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public static readonly NoticeCatalog Catalog = NoticeCatalog.Discover();

    /// <summary>Events of client-42's contract-7, all at <see cref="Now"/>.</summary>
    private static readonly TestEvents Events = new(Now);

    public static ContractState State(
        decimal? low = 100m,
        decimal? deactivate = 25m,
        bool notifications = true,
        string paymentType = PaymentTypes.Prepaid,
        bool isActive = true,
        bool isOffer = false,
        bool offerAccepted = true,
        params string[] services) => new()
        {
            PaymentType = paymentType,
            IsActive = isActive,
            IsOffer = isOffer,
            OfferAccepted = offerAccepted,
            Services = services.Length == 0 ? ["taxi"] : services,
            LowBalanceThreshold = low,
            DeactivateThreshold = deactivate,
            LowBalanceNotificationsEnabled = notifications,
        };

    public static ContractState Prepaid(bool accepted = false, bool isOffer = true, bool active = false, params string[] services) =>
        State(paymentType: PaymentTypes.Prepaid, offerAccepted: accepted, isOffer: isOffer, isActive: active, services: services);

    public static ContractState Postpaid(bool active = false, params string[] services) =>
        State(paymentType: PaymentTypes.Postpaid, offerAccepted: true, isOffer: false, isActive: active, services: services);

    public static ContractChanged ContractChange(ContractState? from, ContractState to, string? temporaryPassword = null) =>
        Events.Contract("client-42", from, to, temporaryPassword: temporaryPassword, eventId: "contract-event");

    public static OrderCompleted Order() => Events.Order("client-42", "order-1", eventId: "order-event");

    public static ClientProfile Client(bool hasSuccessfulOrder = false) =>
        new("client-42", "Acme LLC", "rus", "ru", "Europe/Moscow", ["billing@acme.example"], hasSuccessfulOrder);

    public static SendCheckContext SendContext(string kind, ContractState? contract = null, bool hasSuccessfulOrder = false) =>
        new(kind, "client-42", "contract-7", Client(hasSuccessfulOrder), contract is null ? null : Contract(contract), Now);

    public static ContractProfile Contract(ContractState? state = null) =>
        new("contract-7", "client-42", "ДГ-7", state ?? State());

    public static RuleContext Context(ContractProfile? contract = null, Func<string, TimeSpan>? offsets = null, ClientProfile? client = null) =>
        new(Now, client ?? Client(), contract, offsets ?? (kind => Catalog.Find(kind)!.DefaultOffset));

    public static BalanceChanged BalanceFrom(decimal from, decimal to) => Events.Balance("client-42", from, to, eventId: $"balance-{from}-{to}");

    /// <summary>Every rule's actions for the event, as "Enqueue Kind @+offset" / "Dequeue Kind" lines, sorted.</summary>
    public static IReadOnlyList<string> Evaluate(IEvent evt, RuleContext context) =>
        [.. Catalog.Evaluate(evt, context).Select(Describe).Order(StringComparer.Ordinal)];

    public static string Describe(NoticeAction action) => action switch
    {
        EnqueueNotice e => $"Enqueue {e.Kind} @+{e.SendAt - Now}",
        DequeueNotices d => $"Dequeue {d.Kind}",
        _ => action.ToString(),
    };
}
