namespace CorpNotifier.Notices;

/// <summary>The stored, versioned settings of one notice kind (table <c>notice_settings</c>).</summary>
public sealed class NoticeSettingsRecord
{
    public const string FromConfiguration = "configuration";
    public const string FromApi = "api";

    public required string Kind { get; set; }

    public bool Enabled { get; set; }

    public NoticeMode Mode { get; set; }

    public TimeSpan Offset { get; set; }

    /// <summary>JSON object: country → slug, with <c>default</c>.</summary>
    public string Slugs { get; set; } = "{}";

    /// <summary>JSON object: country → array of addresses, with <c>default</c>.</summary>
    public string ExtraRecipients { get; set; } = "{}";

    /// <summary>Grows by one with every change; the optimistic concurrency token.</summary>
    public int Version { get; set; }

    /// <summary><see cref="FromConfiguration"/> while configuration owns the row; <see cref="FromApi"/> once an operator edited it.</summary>
    public required string Source { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}

/// <summary>One past version of a notice's settings (table <c>notice_settings_history</c>).</summary>
public sealed class NoticeSettingsHistoryRecord
{
    public long Id { get; set; }

    public required string Kind { get; set; }

    public int Version { get; set; }

    /// <summary>The settings of that version as JSON.</summary>
    public required string Settings { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public required string ChangedBy { get; set; }
}
