using System.Collections.Frozen;
using System.Text.Json;
using CorpNotifier.Clients;
using CorpNotifier.Contracts;

namespace CorpNotifier.Intake;

/// <summary>
/// The event types the service takes, one row each: everything the service does differently per
/// type is said here, and everything else is generic — the consumer and its endpoint
/// (<see cref="EventConsumer{TEvent}"/>, <see cref="EventConsumerDefinition{TEvent}"/>), the queue
/// (<see cref="EventType.Queue"/>), the JSON Schema (<see cref="EventSchemas"/>, with the limits of the
/// row's fields by wire path), the checks a schema cannot make, the masking of secrets, the data
/// the event waits for and the lock it takes. Adding an event type is a contract, a row here, its
/// schema file and docs, and the rules that react to it (docs/design.md, "Adding an event");
/// <c>EventTypeRegistrationTests</c> fails on a type registered by half.
/// </summary>
public static class EventTypes
{
    public static readonly IReadOnlyList<EventType> All =
    [
        Type<ContractChanged>("A client's contract was created or changed: contract reminders, take-a-ride and activation notices.")
            .StatesContract(e => new ContractProfile(e.ContractId, e.ClientId, e.ExternalId, e.New))
            .FeedsDirectoryData()
            // A manager's request and the activation of its client's contract travel on different
            // queues and meet under the client's lock, whichever comes first.
            .GathersUnderLock(async (e, data, directory, cancellationToken) => e.New.IsActive && e.Old is not { IsActive: true }
                ? data with { ManagerRequest = await directory.FindPendingActivationAsync(e.ClientId, cancellationToken) }
                : data)
            .Limit("data.contractId", FieldLimit.Id)
            .Limit("data.externalId", FieldLimit.Id)
            .Limit("data.old.services", FieldLimit.Items(20))
            .Limit("data.new.services", FieldLimit.Items(20))
            .Secret("data.temporaryPassword"),

        Type<BalanceChanged>("A contract's balance changed: low balance, limit is over, financial unblock.")
            .WaitsForContract(e => e.ContractId)
            .Limit("data.contractId", FieldLimit.Id)
            .Limit("data.currency", FieldLimit.Currency),

        Type<OrderCompleted>("A client completed an order: dequeues take-a-ride notices, feeds \"has a successful order\".")
            .Limit("data.orderId", FieldLimit.Id),

        Type<ClientProfileChanged>("A client's profile changed: feeds the local directory (name, country, locale, emails).")
            .WaitsForNoClient("it is the profile")
            .FeedsDirectoryData()
            .StartsNoLetter("feeds the client directory: letters read their recipients, country and language from it")
            .Limit("data.country", FieldLimit.Country)
            .Limit("data.locale", FieldLimit.Locale)
            .Limit("data.timeZone", FieldLimit.TimeZone)
            .Limit("data.emails", FieldLimit.Items(50))
            .Limit("data.emails[]", FieldLimit.Email),

        Type<ClientRequestCreated>("A client's self-service request was created: the moderators' letter; cancels the trial follow-up.")
            .WaitsForNoClient("its letter goes to the moderators")
            .Limit("data.requestId", FieldLimit.Id)
            .Limit("data.country", FieldLimit.Country)
            .Limit("data.contact.email", FieldLimit.Email)
            .Check(e => e switch
            {
                { Country: "rus", Russia: null } => [("data.russia", "is required for a request in rus")],
                { Country: "isr", Israel: null } => [("data.israel", "is required for a request in isr")],
                _ => [],
            }),

        Type<ClientRequestStatusChanged>("A self-service request was accepted or rejected: the client's letter, offer scoring.")
            .Limit("data.requestId", FieldLimit.Id)
            .Limit("data.old.rejectReason", FieldLimit.LongText(2000))
            .Limit("data.new.rejectReason", FieldLimit.LongText(2000))
            .Limit("data.country", FieldLimit.Country),

        Type<ManagerRequestStatusChanged>("A sales manager's request changed status: the manager's letter; an accepted one is remembered for the activation letter.")
            .WaitsForNoClient("its letters go to the sales manager")
            .LocksOn(e => e.ClientId ?? e.Request.ClientId ?? $"manager-request:{e.RequestId}")
            .GathersUnderLock(async (e, data, directory, cancellationToken) =>
                e.New.Status == ManagerRequestStatuses.Accepted && (e.ClientId ?? e.Request.ClientId) is { } client
                    ? data with { Contract = await directory.FindActiveContractAsync(client, e.Request.Service, cancellationToken) }
                    : data)
            .Limit("data.requestId", FieldLimit.Id)
            .Limit("data.old.reason", FieldLimit.LongText(2000))
            .Limit("data.new.reason", FieldLimit.LongText(2000))
            .Limit("data.request.country", FieldLimit.Country)
            .Limit("data.request.contacts[].email", FieldLimit.Email)
            .Limit("data.request.attachments[].url", FieldLimit.Token(2048))
            .Limit("data.request.crmLink", FieldLimit.Token(2048))
            .Limit("data.request.stLink", FieldLimit.Token(2048))
            .Limit("data.request.billing.externalId", FieldLimit.Id)
            .Limit("data.request.billing.clientId", FieldLimit.Id)
            .Limit("data.request.billing.contractId", FieldLimit.Id)
            .Limit("data.request.additionalInformation", FieldLimit.LongText(4000))
            .Limit("data.request.clientId", FieldLimit.Id)
            .Limit("data.request.clientTmpPassword", FieldLimit.Token(1024))
            .Secret("data.request.clientTmpPassword"),

        Type<NewTrialClient>("A trial client signed up: welcome letters and the follow-up.")
            .Limit("data.encryptedPassword", FieldLimit.Token(1024))
            .Limit("data.draft.country", FieldLimit.Country)
            .Limit("data.draft.contact.email", FieldLimit.Email)
            .Secret("data.encryptedPassword")
            .Check(e => (e.Flow, string.IsNullOrEmpty(e.EncryptedPassword)) switch
            {
                (TrialFlows.RegisterTrial, true) => [("data.encryptedPassword", "is required with flow register_trial (the generated login's password, as a Fernet token)")],
                (TrialFlows.ClientTrial, false) => [("data.encryptedPassword", "must be empty with flow client_trial (the client already has a password)")],
                _ => [],
            }),

        Type<DuplicateTrialClient>("A trial sign-up repeated an existing client's phone."),

        Type<ContractSettingsChanged>("An operator blocked or unblocked a contract.")
            .WaitsForContract(e => e.ContractId)
            .Limit("data.contractId", FieldLimit.Id)
            .Limit("data.reason", FieldLimit.LongText(2000)),

        Type<ContractThresholdUpdated>("A contract's credit threshold changed.")
            .Limit("data.contractId", FieldLimit.Id),
    ];

    /// <summary>The event types by their wire name (<c>type</c>).</summary>
    public static readonly IReadOnlyDictionary<string, Type> ByName = All.ToDictionary(t => t.Name, t => t.ClrType, StringComparer.Ordinal);

    /// <summary>The fields every event carries at the top level of the wire format; the rest sits under <c>data</c>.</summary>
    public static readonly IReadOnlySet<string> EnvelopeFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "eventId", "occurredAt", "clientId",
    };

    /// <summary>The envelope's limits, the same for every type (a row may say more, e.g. of a <c>clientId</c> that may be null).</summary>
    public static readonly IReadOnlyDictionary<string, FieldLimit> EnvelopeLimits = new Dictionary<string, FieldLimit>(StringComparer.Ordinal)
    {
        ["eventId"] = FieldLimit.Id,
        ["occurredAt"] = FieldLimit.DateTime,
        ["clientId"] = FieldLimit.Id,
    };

    private static readonly FrozenDictionary<Type, EventType> ByType = All.ToFrozenDictionary(t => t.ClrType);

    /// <summary>How events are read and written as JSON (<see cref="Hosting.AppJson.Contracts"/>).</summary>
    public static JsonSerializerOptions Json => Hosting.AppJson.Contracts;

    /// <summary>The row of an event's type.</summary>
    public static EventType Of(IEvent evt) => Of(evt.GetType());

    /// <summary>The row of a contract type; an event type without a row is a bug, named here.</summary>
    public static EventType Of(Type clrType) =>
        ByType.TryGetValue(clrType, out var row) ? row : throw new InvalidOperationException($"{clrType.Name} has no row in EventTypes.All");

    /// <summary>The row of a wire name, or null for a type the service does not take.</summary>
    public static EventType? Find(string name) => ByName.TryGetValue(name, out var type) ? ByType[type] : null;

    /// <summary>The wire path of a contract property: envelope fields at the top, the rest under <c>data</c>.</summary>
    public static string WirePath(string camelCasePath) =>
        EnvelopeFields.Contains(camelCasePath.Split('.', '[')[0]) ? camelCasePath : $"data.{camelCasePath}";

    private static EventType<TEvent> Type<TEvent>(string description)
        where TEvent : class, IEvent => new(description);
}
