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
