using System.Text.RegularExpressions;
using CorpNotifier.Clients;
using CorpNotifier.Contracts;

namespace CorpNotifier.Intake;

/// <summary>A check a JSON Schema cannot make, made in code for a field (<see cref="EventValidator"/>).</summary>
public enum FieldCheck
{
    None,

    /// <summary>A deliverable email address (<see cref="Notices.EmailAddress"/>).</summary>
    Email,

    /// <summary>An IANA time zone the service's machine knows.</summary>
    TimeZone,
}

/// <summary>
/// What a field of the wire format must be beyond its type: limits its JSON Schema states (a
/// text's length and pattern, an array's size) and a check code makes. A field without a limit
/// of its own is a text of at most 256 characters without control characters (not blank, unless
/// it may be null).
/// </summary>
public sealed record FieldLimit
{
    public int? MaxLength { get; init; }

    public string? Pattern { get; init; }

    /// <summary>The schema's <c>format</c> (an annotation: the pattern is what is checked).</summary>
    public string? Format { get; init; }

    public int? MaxItems { get; init; }

    public FieldCheck Check { get; init; }

    /// <summary>An identifier (of an event, a client, a contract, a request…).</summary>
    public static readonly FieldLimit Id = new() { MaxLength = EventValidator.MaxIdLength };

    /// <summary>An email address: at most 254 characters, and deliverable.</summary>
    public static readonly FieldLimit Email = new() { MaxLength = 254, Check = FieldCheck.Email };

    /// <summary>A lower-case ISO 3166 alpha-3 country code (<c>rus</c>).</summary>
    public static readonly FieldLimit Country = new() { Pattern = "^[a-z]{3}$" };

    /// <summary>An ISO 4217 currency code (<c>RUB</c>).</summary>
    public static readonly FieldLimit Currency = new() { Pattern = "^[A-Z]{3}$" };

    /// <summary>A language tag (<c>ru</c>, <c>en</c>).</summary>
    public static readonly FieldLimit Locale = new() { Pattern = EventSchemas.LocalePattern };

    /// <summary>An IANA time zone (<c>Europe/Moscow</c>).</summary>
    public static readonly FieldLimit TimeZone = new() { Check = FieldCheck.TimeZone };

    /// <summary><c>occurredAt</c>: an RFC 3339 date-time with an offset.</summary>
    public static readonly FieldLimit DateTime = new() { MaxLength = 64, Pattern = EventSchemas.DateTimePattern, Format = "date-time" };

    /// <summary>Free text that may run over several lines (a manager's notes, a reason).</summary>
    public static FieldLimit LongText(int maxLength) => new() { MaxLength = maxLength, Pattern = EventSchemas.MultilineTextPattern };

    /// <summary>A longer single-line value: a secret as a Fernet token, a link.</summary>
    public static FieldLimit Token(int maxLength) => new() { MaxLength = maxLength };

    /// <summary>An array of at most <paramref name="maxItems"/> items.</summary>
    public static FieldLimit Items(int maxItems) => new() { MaxItems = maxItems };
}

/// <summary>The data gathered for an event's rules: the client, the contract, a sales manager's request waiting for its activation letter.</summary>
public sealed record RuleData(ClientProfile? Client, ContractProfile? Contract, ManagerRequestProfile? ManagerRequest = null);

/// <summary>
/// One event type of <see cref="EventTypes.All"/>: its contract, its queue, its fields' limits by
/// wire path (<c>data.request.country</c>; <c>[]</c> for every item of an array), its secrets,
/// the data it waits for, the lock it takes, and the checks of its meaning a schema cannot make.
/// </summary>
public abstract partial class EventType
{
    private readonly Dictionary<string, FieldLimit> _limits = new(StringComparer.Ordinal);
    private readonly List<string> _secrets = [];

    protected EventType(Type clrType, string description)
    {
        ClrType = clrType;
        Description = description;
    }

    public Type ClrType { get; }

    /// <summary>The wire name (<c>type</c>), e.g. <c>BalanceChanged</c>.</summary>
    public string Name => ClrType.Name;

    /// <summary>What the event means and what it does, in one line.</summary>
    public string Description { get; }

    /// <summary>
    /// The queue after <c>Messaging:EndpointPrefix</c>: the name in kebab case, as MassTransit names a
    /// consumer's endpoint (<c>balance-changed</c>). Ops rely on these names: they never change.
    /// </summary>
    public string Queue => KebabCase().Replace(Name, "-$1").ToLowerInvariant();

    /// <summary>The limits of the type's fields by wire path (the envelope's are <see cref="EventTypes.EnvelopeLimits"/>).</summary>
    public IReadOnlyDictionary<string, FieldLimit> Limits => _limits;

    /// <summary>The wire paths of secret fields: masked before the event is stored or shown.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    /// <summary>Why no rule reacts to the event, when none does (e.g. it feeds the client directory).</summary>
    public string? StartsNoLetterBecause { get; protected set; }

    /// <summary>
    /// Whether the event brings data other events wait for (a client's profile, a contract): once it
    /// is applied, the client's parked events are run again (<see cref="ParkedEvents"/>).
    /// </summary>
    public bool FeedsDirectory { get; protected set; }

    /// <summary>Why the event does not wait for its client's profile, when it does not.</summary>
    public string? WaitsForNoClientBecause { get; protected set; }

    /// <summary>The consumer of the type's queue.</summary>
    public Type ConsumerType => typeof(EventConsumer<>).MakeGenericType(ClrType);

    /// <summary>The consumer's endpoint settings (its queue's name among them).</summary>
    public Type DefinitionType => typeof(EventConsumerDefinition<>).MakeGenericType(ClrType);

    /// <summary>The contract whose data the event's letters need (its thresholds, its services), when they need one.</summary>
    public abstract string? ContractAwaited(IEvent evt);

    /// <summary>Whether the event's letters need the client's profile (its addresses, country, locale).</summary>
    public bool ClientAwaited(IEvent evt) => WaitsForNoClientBecause is null && evt.ClientId is not null;

    /// <summary>
    /// What the event is applied under: one client's events one at a time, whatever queue or
    /// instance they come from; an event about no client yet, its own key.
    /// </summary>
    public abstract string LockKey(IEvent evt);

    /// <summary>What the event's meaning breaks that a schema cannot say (one field imposing on another), by wire path.</summary>
    public abstract IEnumerable<(string Path, string Message)> Checks(IEvent evt);

    /// <summary>The contract as the event itself states it (newer than the directory's), when it states one.</summary>
    public abstract ContractProfile? ContractStated(IEvent evt);

    /// <summary>
    /// More data for the rules, read under the event's lock (in its transaction), where events of
    /// other types that meet this one are seen whichever came first.
    /// </summary>
    public abstract Task<RuleData> GatherUnderLockAsync(IEvent evt, RuleData data, IClientDirectory directory, CancellationToken cancellationToken);

    protected void AddLimit(string path, FieldLimit limit)
    {
        if (!_limits.TryAdd(path, limit))
        {
            throw new InvalidOperationException($"{Name}: {path} is limited twice");
        }
    }

    protected void AddSecret(string path) => _secrets.Add(path);

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex KebabCase();
}

/// <summary>A row of <see cref="EventTypes.All"/> for <typeparamref name="TEvent"/>, said fluently.</summary>
public sealed class EventType<TEvent>(string description) : EventType(typeof(TEvent), description)
    where TEvent : class, IEvent
{
    private Func<TEvent, string?> _contract = _ => null;
    private Func<TEvent, string?> _lock = e => e.ClientId;
    private Func<TEvent, IEnumerable<(string, string)>> _checks = _ => [];
    private Func<TEvent, ContractProfile?> _stated = _ => null;
    private Func<TEvent, RuleData, IClientDirectory, CancellationToken, Task<RuleData>> _underLock = (_, data, _, _) => Task.FromResult(data);

    /// <summary>The event's letters need this contract's data: a delivery waits for it a few retries, then the event is parked until it comes.</summary>
    public EventType<TEvent> WaitsForContract(Func<TEvent, string?> contractId)
    {
        _contract = contractId;
        return this;
    }

    /// <summary>The event's letters need no client profile (they go to the staff, or it is the profile).</summary>
    public EventType<TEvent> WaitsForNoClient(string reason)
    {
        WaitsForNoClientBecause = reason;
        return this;
    }

    /// <summary>The lock key when the client's id is not enough (the default: the client's id, else the event's).</summary>
    public EventType<TEvent> LocksOn(Func<TEvent, string?> key)
    {
        _lock = key;
        return this;
    }

    /// <summary>The event brings a client's profile or a contract: the client's parked events run again after it.</summary>
    public EventType<TEvent> FeedsDirectoryData()
    {
        FeedsDirectory = true;
        return this;
    }

    /// <summary>No rule reacts to the event, on purpose.</summary>
    public EventType<TEvent> StartsNoLetter(string reason)
    {
        StartsNoLetterBecause = reason;
        return this;
    }

    /// <summary>A field's limit, by wire path (<c>data.request.contacts[].email</c>).</summary>
    public EventType<TEvent> Limit(string path, FieldLimit limit)
    {
        AddLimit(path, limit);
        return this;
    }

    /// <summary>A secret field, by wire path: masked before the event is stored or shown.</summary>
    public EventType<TEvent> Secret(string path)
    {
        AddSecret(path);
        return this;
    }

    /// <summary>What one field imposes on another, which a schema cannot say.</summary>
    public EventType<TEvent> Check(Func<TEvent, IEnumerable<(string Path, string Message)>> checks)
    {
        _checks = checks;
        return this;
    }

    /// <summary>The event states its contract's new state: the rules see it rather than the directory's.</summary>
    public EventType<TEvent> StatesContract(Func<TEvent, ContractProfile> contract)
    {
        _stated = contract;
        return this;
    }

    /// <summary>Data read under the event's lock, where events of other types that meet this one are seen.</summary>
    public EventType<TEvent> GathersUnderLock(Func<TEvent, RuleData, IClientDirectory, CancellationToken, Task<RuleData>> gather)
    {
        _underLock = gather;
        return this;
    }

    public override string? ContractAwaited(IEvent evt) => _contract((TEvent)evt);

    public override string LockKey(IEvent evt) => _lock((TEvent)evt) ?? $"event:{evt.EventId}";

    public override IEnumerable<(string Path, string Message)> Checks(IEvent evt) => _checks((TEvent)evt);

    public override ContractProfile? ContractStated(IEvent evt) => _stated((TEvent)evt);

    public override Task<RuleData> GatherUnderLockAsync(IEvent evt, RuleData data, IClientDirectory directory, CancellationToken cancellationToken) =>
        _underLock((TEvent)evt, data, directory, cancellationToken);
}
