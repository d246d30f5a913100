namespace CorpNotifier.Notices;

/// <summary>One step in a letter's life, for the operators' timeline.</summary>
public sealed class NoticeTimelineEntry
{
    public long Id { get; set; }

    public long NoticeId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>What happened: one of <see cref="TimelineEntryTypes"/>.</summary>
    public required string Type { get; set; }

    public string? Detail { get; set; }

    /// <summary>The event id or operator name that caused the step, when not the service itself.</summary>
    public string? Actor { get; set; }
}

public static class TimelineEntryTypes
{
    public const string Created = "created";
    public const string Claimed = "claimed";
    public const string AttemptFailed = "attempt_failed";
    public const string RecipientAccepted = "recipient_accepted";
    public const string Sent = "sent";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Dequeued = "dequeued";
    public const string Shadowed = "shadowed";
    public const string LeaseExpired = "lease_expired";
}
