using CorpNotifier.Clients;

namespace CorpNotifier.Rules;

/// <summary>
/// Everything a rule may read besides the event: the clock (<see cref="Now"/>, when the event is
/// processed: nothing is due before it), gathered data, settings.
/// </summary>
public sealed record RuleContext(
    DateTimeOffset Now,
    ClientProfile? Client,
    ContractProfile? Contract,
    Func<string, TimeSpan> OffsetOf)
{
    /// <summary>
    /// When the event happened at its producer (its <c>occurredAt</c>, the business moment), from
    /// which a notice's delay counts; <see cref="Now"/> when not given (a rule's own test, where the
    /// two are the same).
    /// </summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>The client's accepted manager request whose activation letter has not gone out, when there is one.</summary>
    public ManagerRequestProfile? ManagerRequest { get; init; }

    /// <summary>The domain of the staff's addresses: a sales manager is <c>{login}@{domain}</c> (<c>Notices:StaffEmailDomain</c>).</summary>
    public string? StaffEmailDomain { get; init; }

    /// <summary>The text people read for a code (<c>taxi</c> → <c>Такси</c>), from a display table; the code itself when it has none.</summary>
    public Func<string, string, string> Display { get; init; } = (_, code) => code;

    /// <summary>
    /// The service's planning of a due moment (kind, the moment the delay counts from, the delay): the
    /// delay in the recipient's local calendar days, then the kind's send window. Without it (a rule's
    /// own test), the delay is elapsed time and there is no window.
    /// </summary>
    public Func<string, DateTimeOffset, TimeSpan, DateTimeOffset>? Plan { get; init; }

    /// <summary>
    /// The moment a notice of <paramref name="kind"/> is due. Its delay (the configured offset)
    /// counts from the event's moment, <see cref="OccurredAt"/>, the same in the service, the
    /// simulation and the producers' test kit: a notice without a delay is due now; one with a
    /// delay at <c>max(now, occurredAt + delay)</c>, so a late event's letter whose moment has
    /// passed is due at once, and nothing is due before it is created — each then moved into the
    /// kind's send window by <see cref="Plan"/>.
    /// </summary>
    public DateTimeOffset DueAt(string kind)
    {
        var offset = OffsetOf(kind);
        if (Plan is { } plan)
        {
            return plan(kind, OccurredAt ?? Now, offset);
        }

        if (offset <= TimeSpan.Zero)
        {
            return Now;
        }

        var due = (OccurredAt ?? Now) + offset;
        return due > Now ? due : Now;
    }
}

/// <summary>Who a letter is for.</summary>
public enum Audience
{
    /// <summary>The client's addresses, then the letter's extra recipients for the client's country (else <c>default</c>).</summary>
    Client,

    /// <summary>The letter's extra recipients for the country only (the moderators); never the client.</summary>
    Staff,

    /// <summary>The request's sales manager (<c>{login}@{Notices:StaffEmailDomain}</c>), then the extra recipients for the request's country.</summary>
    Manager,
}

/// <summary>The arguments a mailer gets, or why the letter cannot go.</summary>
public sealed record MailerArguments(System.Text.Json.Nodes.JsonObject? Args, string? Problem)
{
    public static MailerArguments Same(System.Text.Json.Nodes.JsonObject stored) => new(stored, null);

    public static MailerArguments Undecryptable(string argument) =>
        new(null, $"the secret in {argument} does not decrypt with any configured key (Secrets:FernetKeys)");
}

/// <summary>What turning stored arguments into the mailer's may use: opening a secret. (Codes reach the mailer as the producer sent them.)</summary>
public sealed record MailerContext(Func<string?, string?> Open);

/// <summary>A letter recorded as sent, as <see cref="NoticeRule.WhenSent"/> sees it.</summary>
public sealed record SentLetter(long NoticeId, string Kind, string? ClientId, System.Text.Json.Nodes.JsonObject Args, DateTimeOffset SentAt);

/// <summary>Something a sent letter causes, written in the same transaction that records it as sent.</summary>
public abstract record SentEffect
{
    /// <summary>Publish a message on the bus, through the outbox: committed first, published until the broker confirms, under a stable message id.</summary>
    public sealed record Publish(object Message, Guid MessageId) : SentEffect;

    /// <summary>The client's manager request had its activation letter: never again for that request.</summary>
    public sealed record ActivationLetterSent(string RequestId, long NoticeId) : SentEffect;
}

/// <summary>What a send-time check sees.</summary>
public sealed record SendCheckContext(
    string Kind,
    string? ClientId,
    string? ContractId,
    ClientProfile? Client,
    ContractProfile? Contract,
    DateTimeOffset Now)
{
    /// <summary>The letter's own country, for a staff or manager letter (<see cref="EnqueueNotice.Country"/>).</summary>
    public string? Country { get; init; }

    /// <summary>The letter's own addresses besides its audience's (<see cref="EnqueueNotice.Recipients"/>).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];
}

/// <summary>The answer of a send-time check: pass, or a reason code and message.</summary>
public sealed record SendCheck(string? ReasonCode, string? Message)
{
    public static readonly SendCheck Pass = new(null, null);

    public bool Passed => ReasonCode is null;

    public static SendCheck Reject(string reasonCode, string message) => new(reasonCode, message);
}

/// <summary>Machine-readable reasons recorded on rejected and failed notices.</summary>
public static class ReasonCodes
{
    public const string Disabled = "disabled";
    public const string NoSlug = "no_slug";
    public const string NoRecipient = "no_recipient";
    public const string NoTaxiService = "no_taxi_service";
    public const string HasSuccessfulOrder = "has_successful_order";
    public const string UnknownKind = "unknown_kind";
    public const string UnknownClient = "unknown_client";
    public const string MailerRejected = "mailer_rejected";
    public const string MailerFailed = "mailer_failed";
    public const string TooManyAttempts = "too_many_attempts";
    public const string RetryScheduled = "retry_scheduled";
    public const string UndecryptableSecret = "undecryptable_secret";

    /// <summary>The kind's frequency cap was reached when the letter was created (<c>Notices:{Kind}:Cap</c>).</summary>
    public const string Capped = "capped";

    /// <summary>Every recipient's address is on the suppression list (a hard bounce, a complaint, soft bounces, an operator).</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Every recipient unsubscribed from the letter's category (optional letters only).</summary>
    public const string Unsubscribed = "unsubscribed";
}
