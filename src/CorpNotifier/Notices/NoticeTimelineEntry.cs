using CorpNotifier.Persistence;

namespace CorpNotifier.Notices;

/// <summary>One step in a letter's life, for the operators' timeline. Written by <see cref="NoticeLedger"/> only.</summary>
public sealed class NoticeTimelineEntry : IAppendedRow
{
    public long Id { get; set; }

    public long NoticeId { get; set; }

    public DateTimeOffset At { get; set; }

    public TimelineEntryType Type { get; set; }

    public string? Detail { get; set; }

    /// <summary>The event id or operator name that caused the step, when not the service itself.</summary>
    public string? Actor { get; set; }
}

/// <summary>What happened to a letter. Stored and shown in snake case (<c>attempt_failed</c>).</summary>
public enum TimelineEntryType
{
    /// <summary>An event, an operator's manual send or a re-send created it.</summary>
    Created,

    /// <summary>An instance of the send path took it, under a lease.</summary>
    Claimed,

    /// <summary>The mailer failed (or the client was not known yet); another attempt is scheduled.</summary>
    AttemptFailed,

    /// <summary>The mailer accepted it for one recipient.</summary>
    RecipientAccepted,

    Sent,

    Rejected,

    Failed,

    /// <summary>Cancelled by a later event, or by an operator.</summary>
    Dequeued,

    /// <summary>An operator put back a letter an operator had cancelled.</summary>
    Restored,

    Shadowed,

    /// <summary>The instance that claimed it did not finish in time; it is pending again.</summary>
    LeaseExpired,

    /// <summary>A message its sending causes (e.g. <c>ActivationEmailSent</c>) was published and confirmed by the broker.</summary>
    MessagePublished,

    /// <summary>Taken outside its send window (a late sweep, a changed window or time zone): pending again until the window opens.</summary>
    Held,

    /// <summary>A recipient was left out at send time (a suppressed address, an unsubscribe from the letter's category).</summary>
    RecipientSkipped,

    /// <summary>The recipient's server took the letter (a delivery report: the mailer's webhook).</summary>
    Delivered,

    /// <summary>The mailer could not deliver it yet and is still trying.</summary>
    Deferred,

    /// <summary>The letter came back: a hard or a soft bounce, with the provider's words (a webhook or a delivery status notification).</summary>
    Bounced,

    /// <summary>The recipient marked the letter as spam.</summary>
    Complained,
}
