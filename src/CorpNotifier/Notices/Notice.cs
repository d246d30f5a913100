using System.Text.Json.Nodes;

namespace CorpNotifier.Notices;

/// <summary>
/// One letter: created as a committed row before anything is sent (the row is the durable
/// outbox), claimed by the send path, and kept forever as history. Its status and timeline change
/// only through <see cref="NoticeLedger"/>.
/// </summary>
public sealed class Notice
{
    public long Id { get; set; }

    /// <summary>The event whose rules created the letter; <c>null</c> for manual sends.</summary>
    public string? EventId { get; set; }

    /// <summary>The client it is about; <c>null</c> for a letter about a manager's request that belongs to no client yet.</summary>
    public string? ClientId { get; set; }

    public string? ContractId { get; set; }

    /// <summary>
    /// For a staff or manager letter: the country whose extra recipients it goes to. For a client letter
    /// an event created: the client's country when it was planned, whose business calendar it was planned
    /// on (a calendar edit re-plans the country's letters); its sending still uses the client's country as
    /// the directory has it then.
    /// </summary>
    public string? Country { get; set; }

    /// <summary>Addresses it goes to besides its audience's (a sales manager's), fixed when it was created.</summary>
    public List<string> Recipients { get; set; } = [];

    public required string Kind { get; set; }

    public NoticeStatus Status { get; set; }

    public NoticeOrigin Origin { get; set; }

    /// <summary>Not sent before this moment. After a failed attempt, the moment of the next one.</summary>
    public DateTimeOffset SendAt { get; set; }

    /// <summary>
    /// The moment its rule's delay gave, before its kind's send window moved it (<see cref="SendAt"/> is
    /// that moment in the window): a calendar edit plans it again from here. Null for a letter no event
    /// planned (manual sends, re-sends) and for letters stored before it was kept.
    /// </summary>
    public DateTimeOffset? PlannedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>How many times the send path claimed the letter.</summary>
    public int Attempts { get; set; }

    /// <summary>Machine-readable reason of a rejection or failure, e.g. <c>no_slug</c>.</summary>
    public string? ReasonCode { get; set; }

    /// <summary>Human-readable reason, or the last mailer error.</summary>
    public string? Reason { get; set; }

    /// <summary>Template arguments (strings, numbers, booleans, nulls) by name; secrets are masked once sent.</summary>
    public JsonObject Args { get; set; } = [];

    /// <summary>Recipients whose letter the mailer accepted (also the progress of a multi-recipient send); in shadow mode, those it would have gone to.</summary>
    public List<string> SentTo { get; set; } = [];

    public string? SentSlug { get; set; }

    public string? ProviderMessageId { get; set; }

    public string? DequeuedByEventId { get; set; }

    /// <summary>The operator who cancelled the letter, when an operator did.</summary>
    public string? DequeuedBy { get; set; }

    /// <summary>For a re-send: the letter it repeats.</summary>
    public long? ResendOfId { get; set; }

    /// <summary>Optional business key that makes a letter unique (e.g. one activation letter per contract).</summary>
    public string? UniqueKey { get; set; }

    /// <summary>While <c>sending</c>: the claim's token; only its holder may record the outcome.</summary>
    public Guid? LeaseToken { get; set; }

    /// <summary>While <c>sending</c>: after this moment the claim is considered lost and the letter is retried.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>While <c>sending</c>: the process (its incarnation, see <c>Hosting.InstanceIdentity</c>) that holds the claim.</summary>
    public Guid? LeaseHolder { get; set; }

    /// <summary>This pending letter was handed to an instance's send queue (by the sweeper or the fast path); no sweep takes it again before this moment.</summary>
    public DateTimeOffset? QueuedUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Every step of its life, written by <see cref="NoticeLedger"/>.</summary>
    public List<NoticeTimelineEntry> Timeline { get; } = [];

    internal static string? Truncate(string? text, int max = 2000) =>
        text is null || text.Length <= max ? text : text[..max];
}
