namespace CorpNotifier.Notices;

/// <summary>Where a notice is in its life. Stored as its lower-case name.</summary>
public enum NoticeStatus
{
    /// <summary>Waiting for <c>send_at</c>.</summary>
    Pending,

    /// <summary>Claimed by one instance of the send path, under a lease.</summary>
    Sending,

    /// <summary>Every recipient's letter was accepted by the mailer.</summary>
    Sent,

    /// <summary>A send-time check said no; the reason is recorded.</summary>
    Rejected,

    /// <summary>The mailer kept failing, refused a letter, or the kind is unknown.</summary>
    Failed,

    /// <summary>Dequeued by an event (its rules) or cancelled by an operator (<c>DELETE /api/v1/notices/{id}</c>); never sent.</summary>
    Dequeued,

    /// <summary>Shadow mode: everything was done except the mailer call.</summary>
    Shadowed,
}

/// <summary>What created a notice.</summary>
public enum NoticeOrigin
{
    /// <summary>A business event and the rules.</summary>
    Event,

    /// <summary>An operator's manual send.</summary>
    Manual,

    /// <summary>An operator's re-send of an earlier notice.</summary>
    Resend,
}
