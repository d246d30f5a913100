namespace CorpNotifier.Admin;

/// <summary>One operator or admin action (table <c>audit_log</c>): who did what to which target, with the state before and after.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Role { get; set; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary><c>notice</c>, <c>settings</c>, <c>error_queue</c>, <c>event</c> or <c>calendar</c> (<c>rus 2027</c>).</summary>
    public required string TargetType { get; set; }

    public required string TargetId { get; set; }

    /// <summary>JSON of the target before the action; <c>null</c> when it did not exist.</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the target after the action.</summary>
    public string? After { get; set; }
}

public static class AuditActions
{
    public const string Resend = "notice.resend";
    public const string ManualSend = "notice.manual_send";
    public const string Cancel = "notice.cancel";
    public const string Restore = "notice.restore";
    public const string UpdateSettings = "settings.update";
    public const string ReplayErrors = "errors.replay";
    public const string PurgeErrors = "errors.purge";
    public const string RerunEvent = "event.rerun";
    public const string DiscardEvent = "event.discard";
    public const string UpdateCalendar = "calendar.update";
    public const string ImportCalendar = "calendar.import";
}

/// <summary>What the audit records actions on.</summary>
public static class AuditTargets
{
    public const string Notice = "notice";
    public const string Settings = "settings";
    public const string ErrorQueue = "error_queue";
    public const string Event = "event";
    public const string Calendar = "calendar";
}
