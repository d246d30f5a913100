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

    /// <summary>The mailer slug per client country, maybe with <c>default</c>.</summary>
    public List<CountrySlug> Slugs { get; set; } = [];

    /// <summary>The extra recipients per client country, maybe with <c>default</c>.</summary>
    public List<CountryRecipients> ExtraRecipients { get; set; } = [];

    /// <summary>The send window's local opening time.</summary>
    public TimeOnly WindowStart { get; set; } = SendWindowSettings.BusinessHours.Start;

    /// <summary>The send window's local closing time (exclusive).</summary>
    public TimeOnly WindowEnd { get; set; } = SendWindowSettings.BusinessHours.End;

    /// <summary>
    /// On which days the send window opens; <c>null</c> only in a row stored before windows existed:
    /// it reads as the kind's default window and cap until the sync from configuration fills them in.
    /// </summary>
    public WindowDays? WindowDays { get; set; }

    /// <summary>The frequency cap's count; <c>null</c>: uncapped (with <see cref="CapPer"/> and <see cref="CapPeriod"/> null too).</summary>
    public int? CapCount { get; set; }

    public CapKey? CapPer { get; set; }

    public TimeSpan? CapPeriod { get; set; }

    /// <summary>Grows by one with every change; the optimistic concurrency token.</summary>
    public int Version { get; set; }

    /// <summary><see cref="FromConfiguration"/> while configuration owns the row; <see cref="FromApi"/> once an operator edited it.</summary>
    public required string Source { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}

/// <summary>The mailer slug of a country (or <c>default</c>), stored in the <c>slugs</c> JSON column of its settings.</summary>
public sealed class CountrySlug
{
    public required string Country { get; set; }

    public required string Slug { get; set; }
}

/// <summary>The extra recipients of a country (or <c>default</c>), stored in the <c>extra_recipients</c> JSON column of its settings.</summary>
public sealed class CountryRecipients
{
    public required string Country { get; set; }

    public List<string> Addresses { get; set; } = [];
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
