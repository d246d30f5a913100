using CorpNotifier.Clients;

namespace CorpNotifier.Rules;

/// <summary>Everything a rule may read besides the event: the clock, gathered data, settings.</summary>
public sealed record RuleContext(
    DateTimeOffset Now,
    ClientProfile? Client,
    ContractProfile? Contract,
    Func<string, TimeSpan> OffsetOf)
{
    /// <summary>The moment a notice of <paramref name="kind"/> is due: now plus its configured offset.</summary>
    public DateTimeOffset DueAt(string kind) => Now + OffsetOf(kind);
}

/// <summary>What a send-time check sees.</summary>
public sealed record SendCheckContext(
    string Kind,
    string ClientId,
    string? ContractId,
    ClientProfile? Client,
    ContractProfile? Contract,
    DateTimeOffset Now);

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
}
