using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Requests;
using CorpNotifier.Secrets;

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

    /// <summary>
    /// What a rule sees besides the event: by default the client's profile, no contract, each kind's
    /// default offset, no pending manager request, the staff domain <see cref="StaffDomain"/> and the
    /// display text of <see cref="Display"/>.
    /// </summary>
    public static RuleContext Context(
        ContractProfile? contract = null,
        Func<string, TimeSpan>? offsets = null,
        ClientProfile? client = null,
        ManagerRequestProfile? managerRequest = null,
        string? staffEmailDomain = StaffDomain) =>
        new(Now, client ?? Client(), contract, offsets ?? (kind => Catalog.Find(kind)!.DefaultOffset))
        {
            ManagerRequest = managerRequest,
            StaffEmailDomain = staffEmailDomain,
            Display = Display,
        };

    /// <summary>The domain of the staff's addresses (<c>Notices:StaffEmailDomain</c>) in <see cref="Context"/>.</summary>
    public const string StaffDomain = "staff.example";

    /// <summary>
    /// A small display table: the text people read for a few codes; any other code is shown as itself.
    /// Only the manager letters may use it; it also has words for the codes the other letters carry
    /// (a trial's <c>taxi</c>, a block's <c>debt</c>), so a rule that turned those into words would fail its tests.
    /// </summary>
    private static readonly Dictionary<(string Table, string Code), string> DisplayTable = new()
    {
        [(RequestArguments.Tables.Status, ManagerRequestStatuses.Accepted)] = "Принята",
        [(RequestArguments.Tables.Status, ManagerRequestStatuses.Rejected)] = "Отклонена",
        [(RequestArguments.Tables.Service, Services.Taxi)] = "Такси",
        [(RequestArguments.Tables.Service, Services.Cargo)] = "Доставка",
        [(RequestArguments.Tables.ContractType, PaymentTypes.Prepaid)] = "Предоплата",
        [(RequestArguments.Tables.ContractType, PaymentTypes.Postpaid)] = "Постоплата",
        [(RequestArguments.Tables.ContractType, RequestContractTypes.Taxi)] = "Такси",
        [(RequestArguments.Tables.ContractType, RequestContractTypes.Cargo)] = "Доставка",
        [(RequestArguments.Tables.ContractType, RequestContractTypes.Multi)] = "Такси и доставка",
        [(RequestArguments.Tables.SignerDulyAuthorized, SignerAuthorities.Charter)] = "Устав",
        [(RequestArguments.Tables.SignerDulyAuthorized, SignerAuthorities.PowerOfAttorney)] = "Доверенность",
        [(RequestArguments.Tables.Reason, "debt")] = "Задолженность по договору",
    };

    /// <summary>The text for <paramref name="code"/> in <paramref name="table"/> of <see cref="DisplayTable"/>, else the code.</summary>
    public static string Display(string table, string code) => DisplayTable.GetValueOrDefault((table, code), code);

    /// <summary>The temporary password producers encrypt in <see cref="PasswordToken"/>.</summary>
    public const string Password = "Tmp-Pass-42";

    /// <summary>The key producers and the service share (<c>Secrets:FernetKeys</c>).</summary>
    private static readonly FernetKey SharedKey = KeyOf(0);

    /// <summary><see cref="Password"/> as a Fernet token of the shared key.</summary>
    public static readonly string PasswordToken = Fernet.Encrypt(SharedKey, Encoding.UTF8.GetBytes(Password), Now);

    /// <summary>A well-formed Fernet token made with a key the service does not have.</summary>
    public static readonly string ForeignToken = Fernet.Encrypt(KeyOf(100), Encoding.UTF8.GetBytes(Password), Now);

    /// <summary>What the sender hands a rule when it turns stored arguments into the mailer's: the shared key opens secrets.</summary>
    public static readonly MailerContext Mailer = new(
        token => Fernet.TryDecrypt([SharedKey], token, out var plain) ? Encoding.UTF8.GetString(plain) : null);

    private static FernetKey KeyOf(int first) =>
        FernetKey.Parse(Convert.ToBase64String([.. Enumerable.Range(first, 32).Select(i => (byte)i)]).Replace('+', '-').Replace('/', '_'));

    /// <summary>The client's accepted manager request whose activation letter has not gone out, with <see cref="PasswordToken"/> by default.</summary>
    public static ManagerRequestProfile PendingActivation(string service = Services.Taxi, string requestId = "manager-request-1", string? encryptedPassword = null) =>
        new(requestId, "client-42", service, PaymentTypes.Postpaid, "acme-corp", encryptedPassword ?? PasswordToken, "rus");

    public static ClientRequestCreated RequestCreated(string country = "rus", string contractType = RequestContractTypes.Taxi) =>
        Events.RequestCreated("client-42", country: country, contractType: contractType, eventId: "request-event");

    public static ClientRequestStatusChanged RequestStatus(string from, string to, string? rejectReason = null, string contractType = RequestContractTypes.Taxi, string country = "rus") =>
        Events.RequestStatus("client-42", from, to, rejectReason: rejectReason, contractType: contractType, country: country, eventId: "request-status-event");

    /// <summary>Client-42's manager request changing status; it carries <see cref="PasswordToken"/> as the client's temporary password.</summary>
    public static ManagerRequestStatusChanged ManagerRequestChange(string from, string to, string service = Services.Taxi, string? clientId = "client-42", string? reason = null, string managerLogin = "m.smirnov") =>
        Events.ManagerRequest(clientId, from, to, service: service, requestClientId: "client-42", temporaryPassword: PasswordToken, reason: reason, managerLogin: managerLogin, eventId: "manager-request-event");

    public static NewTrialClient Trial(string flow = TrialFlows.ClientTrial, string? encryptedPassword = null, string contractType = Services.Taxi, string eventId = "trial-event") =>
        Events.Trial("client-42", flow, encryptedPassword, contractType, eventId);

    public static DuplicateTrialClient DuplicateTrial(bool used, string contractType = Services.Taxi) =>
        Events.DuplicateTrial("client-42", used, contractType, eventId: "duplicate-trial-event");

    public static ContractSettingsChanged SettingsChange(bool wasActive, bool isActive, string reason = "debt") =>
        Events.ContractSettings("client-42", wasActive, isActive, reason, eventId: "contract-settings-event");

    public static ContractThresholdUpdated Threshold(string? fromType, string? toType) =>
        Events.Threshold("client-42", fromType, toType, eventId: "threshold-event");

    /// <summary>The one action, a notice to enqueue.</summary>
    public static EnqueueNotice ShouldEnqueueOne(this IEnumerable<NoticeAction> actions) =>
        actions.ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();

    /// <summary>Each of <paramref name="expected"/> is among the arguments, with its value.</summary>
    public static void ShouldCarry(this IReadOnlyDictionary<string, object?> args, IReadOnlyDictionary<string, object?> expected)
    {
        foreach (var (name, value) in expected)
        {
            args.ShouldContainKey(name);
            args[name].ShouldBe(value, $"argument {name}");
        }
    }

    /// <summary>The notice's arguments as they are stored (and later handed to <see cref="NoticeRule.ForMailer"/>).</summary>
    public static JsonObject Stored(EnqueueNotice notice) => JsonSerializer.SerializeToNode(notice.Args, AppJson.Options)!.AsObject();

    /// <summary>The notice recorded as sent, as <see cref="NoticeRule.WhenSent"/> sees it.</summary>
    public static SentLetter Sent(EnqueueNotice notice, long noticeId = 17) => new(noticeId, notice.Kind, "client-42", Stored(notice), Now);

    /// <summary>The arguments as JSON is the same as <paramref name="expected"/> (written as JSON).</summary>
    public static void ShouldBeJson(this JsonNode? actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).ShouldBeTrue($"{actual?.ToJsonString(Readable)} is not {expected}");

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
