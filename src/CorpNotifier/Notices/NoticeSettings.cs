namespace CorpNotifier.Notices;

public enum NoticeMode
{
    /// <summary>Letters go to the mailer.</summary>
    Live,

    /// <summary>Everything happens except the mailer call; notices end <c>shadowed</c>.</summary>
    Shadow,
}

/// <summary>
/// The settings of one notice kind, section <c>Notices:{Kind}</c>. Every property is optional;
/// a missing one takes the notice's default (enabled, live, the rule's offset, the rule's slug).
/// </summary>
public sealed class NoticeSettings
{
    public bool? Enabled { get; set; }

    public NoticeMode? Mode { get; set; }

    /// <summary>Delay after the triggering event, e.g. <c>2.00:00:00</c> for two days.</summary>
    public TimeSpan? Offset { get; set; }

    /// <summary>Mailer slug per client country (<c>rus</c>, <c>kaz</c>…), with a <c>default</c> entry.</summary>
    public Dictionary<string, string> Slugs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra recipients per client country, with a <c>default</c> entry.</summary>
    public Dictionary<string, List<string>> ExtraRecipients { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The local hours and days the letter may go out; default: business hours for a delayed client letter, none otherwise.</summary>
    public SendWindowOptions? Window { get; set; }

    /// <summary>At most so many letters per key and period; default: none (<c>LowBalanceNotice</c>: one per contract per day).</summary>
    public FrequencyCapOptions? Cap { get; set; }
}

/// <summary>On which days a kind's send window opens.</summary>
public enum WindowDays
{
    /// <summary>No window: the letter goes when it is due, at any hour.</summary>
    Off,

    /// <summary>Business days of the recipient's country (its calendar: days off, transferred working days).</summary>
    BusinessDays,

    /// <summary>Every day, within the hours.</summary>
    AnyDay,
}

/// <summary>
/// The local hours (in the recipient's time zone) a letter of a kind may go out, and on which days;
/// <see cref="End"/> is exclusive. With <see cref="WindowDays.Off"/> the hours are kept but unused.
/// </summary>
public sealed record SendWindowSettings(TimeOnly Start, TimeOnly End, WindowDays Days)
{
    /// <summary>09:00–19:00 on business days: what a delayed client letter is held to unless configured otherwise.</summary>
    public static SendWindowSettings BusinessHours { get; } = new(new TimeOnly(9, 0), new TimeOnly(19, 0), WindowDays.BusinessDays);

    /// <summary>No window (the default hours kept for when one is switched on).</summary>
    public static SendWindowSettings None { get; } = BusinessHours with { Days = WindowDays.Off };

    public bool IsOn => Days != WindowDays.Off;
}

/// <summary>What a frequency cap counts letters by.</summary>
public enum CapKey
{
    Client,
    Contract,
    Recipient,
}

/// <summary>At most <see cref="Count"/> letters of a kind per <see cref="Per"/> key within <see cref="Period"/>.</summary>
public sealed record FrequencyCap(int Count, CapKey Per, TimeSpan Period);

/// <summary>A kind's send window as configured (<c>Notices:{Kind}:Window</c>); missing parts take the kind's default.</summary>
public sealed class SendWindowOptions
{
    /// <summary>Local opening time, e.g. <c>09:00</c>.</summary>
    public TimeOnly? Start { get; set; }

    /// <summary>Local closing time (exclusive), e.g. <c>19:00</c>.</summary>
    public TimeOnly? End { get; set; }

    public WindowDays? Days { get; set; }
}

/// <summary>A kind's frequency cap as configured (<c>Notices:{Kind}:Cap</c>); a missing section or <c>Count</c>: the kind's default (a count below 1 is refused at start).</summary>
public sealed class FrequencyCapOptions
{
    /// <summary>Letters allowed per key and period; <c>Off</c> (<see cref="Enabled"/> false) removes a default cap.</summary>
    public int? Count { get; set; }

    public CapKey? Per { get; set; }

    public TimeSpan? Period { get; set; }

    /// <summary>False removes the kind's cap (even a default one).</summary>
    public bool? Enabled { get; set; }
}

/// <summary>Section <c>Notices</c>: settings by notice kind.</summary>
public sealed class NoticesOptions : Dictionary<string, NoticeSettings>
{
    public NoticesOptions()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>The settings a notice is checked and sent with: configuration merged with the notice's defaults.</summary>
public sealed record EffectiveNoticeSettings(
    string Kind,
    bool Enabled,
    NoticeMode Mode,
    TimeSpan Offset,
    IReadOnlyDictionary<string, string> Slugs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraRecipients)
{
    public const string DefaultCountry = "default";

    /// <summary>The local hours and days the letter may go out (<see cref="WindowDays.Off"/>: any time).</summary>
    public SendWindowSettings Window { get; init; } = SendWindowSettings.None;

    /// <summary>At most so many letters per key and period; <c>null</c>: uncapped.</summary>
    public FrequencyCap? Cap { get; init; }

    /// <summary>The slug for the client's country, else the <c>default</c> one; <c>null</c> when neither is set.</summary>
    public string? SlugFor(string? country) =>
        (country is not null && Slugs.TryGetValue(country, out var slug) ? slug : null)
        ?? Slugs.GetValueOrDefault(DefaultCountry);

    /// <summary>The extra recipients for the client's country, else the <c>default</c> ones.</summary>
    public IReadOnlyList<string> ExtraRecipientsFor(string? country) =>
        (country is not null && ExtraRecipients.TryGetValue(country, out var list) ? list : null)
        ?? ExtraRecipients.GetValueOrDefault(DefaultCountry)
        ?? [];
}

/// <summary>Reads the current settings of notice kinds; a change applies to every notice not yet sent.</summary>
public interface INoticeSettingsSource
{
    Task<EffectiveNoticeSettings> GetAsync(string kind, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, EffectiveNoticeSettings>> GetAllAsync(CancellationToken cancellationToken);
}
