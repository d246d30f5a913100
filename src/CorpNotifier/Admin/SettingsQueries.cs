using CorpNotifier.Notices;
using CorpNotifier.Rules;

namespace CorpNotifier.Admin;

/// <summary>A notice's settings as the API shows them; <see cref="Version"/> is also the ETag.</summary>
public sealed record NoticeSettingsView(
    string Kind,
    int Version,
    bool Enabled,
    string Mode,
    TimeSpan Offset,
    IReadOnlyDictionary<string, string> Slugs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraRecipients,
    string Source,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    /// <summary>The local hours and days letters may go out (<c>days</c> <c>off</c>: at any time).</summary>
    public SendWindowView? Window { get; init; }

    /// <summary>At most so many letters per key and period; <c>null</c>: uncapped.</summary>
    public FrequencyCapView? Cap { get; init; }

    public static NoticeSettingsView From(VersionedNoticeSettings s) => new(
        s.Settings.Kind,
        s.Version,
        s.Settings.Enabled,
        s.Settings.Mode.ToString(),
        s.Settings.Offset,
        s.Settings.Slugs,
        s.Settings.ExtraRecipients,
        s.Source,
        s.UpdatedAt,
        s.UpdatedBy)
    {
        Window = SendWindowView.From(s.Settings.Window),
        Cap = FrequencyCapView.From(s.Settings.Cap),
    };
}

/// <summary>A send window as the API shows it: <c>{"start": "09:00", "end": "19:00", "days": "businessDays"}</c>.</summary>
public sealed record SendWindowView(string Start, string End, string Days)
{
    public static SendWindowView From(SendWindowSettings window) =>
        new(SettingsText.Time(window.Start), SettingsText.Time(window.End), SettingsText.Name(window.Days));
}

/// <summary>A frequency cap as the API shows it: <c>{"count": 1, "per": "contract", "period": "1.00:00:00"}</c>.</summary>
public sealed record FrequencyCapView(int Count, string Per, TimeSpan Period)
{
    public static FrequencyCapView? From(FrequencyCap? cap) => cap is null ? null : new(cap.Count, SettingsText.Name(cap.Per), cap.Period);
}

/// <summary>The settings of one version, in the shape of <see cref="NoticeSettingsView"/> (the mode by name).</summary>
public sealed record NoticeSettingsValues(
    bool Enabled,
    string Mode,
    TimeSpan Offset,
    IReadOnlyDictionary<string, string> Slugs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraRecipients)
{
    /// <summary>The send window; <c>null</c> in a version kept before windows existed.</summary>
    public SendWindowView? Window { get; init; }

    public FrequencyCapView? Cap { get; init; }

    public static NoticeSettingsValues From(NoticeSettingsUpdate s) => new(s.Enabled, s.Mode.ToString(), s.Offset, s.Slugs, s.ExtraRecipients)
    {
        Window = s.Window is null ? null : SendWindowView.From(s.Window),
        Cap = FrequencyCapView.From(s.Cap),
    };
}

/// <summary>One version of a notice's settings: who saved it, when, and the settings (null only for a stored version that does not read).</summary>
public sealed record SettingsHistoryEntry(int Version, DateTimeOffset ChangedAt, string ChangedBy, NoticeSettingsValues? Settings);

/// <summary>Notice settings as operators read them, for the admin API and the console alike.</summary>
public sealed class SettingsQueries(NoticeSettingsStore store, NoticeCatalog catalog)
{
    /// <summary>Every notice kind's settings, in the catalog's order.</summary>
    public async Task<IReadOnlyList<NoticeSettingsView>> AllAsync(CancellationToken cancellationToken)
    {
        var views = new List<NoticeSettingsView>();
        foreach (var kind in catalog.Kinds)
        {
            if (await store.GetVersionedAsync(kind, cancellationToken) is { } settings)
            {
                views.Add(NoticeSettingsView.From(settings));
            }
        }

        return views;
    }

    /// <summary>One kind's settings; null for a kind that does not exist.</summary>
    public async Task<NoticeSettingsView?> GetAsync(string kind, CancellationToken cancellationToken) =>
        await store.GetVersionedAsync(kind, cancellationToken) is { } settings ? NoticeSettingsView.From(settings) : null;

    /// <summary>Every version of one kind's settings, newest first; null for a kind that does not exist.</summary>
    public async Task<IReadOnlyList<SettingsHistoryEntry>?> HistoryAsync(string kind, CancellationToken cancellationToken)
    {
        if (catalog.Find(kind) is null)
        {
            return null;
        }

        var history = await store.HistoryAsync(kind, cancellationToken);
        return
        [
            .. history.Select(h => new SettingsHistoryEntry(
                h.Version,
                h.ChangedAt,
                h.ChangedBy,
                NoticeSettingsStore.ReadVersion(h.Settings) is { } values ? NoticeSettingsValues.From(values) : null)),
        ];
    }

    public static string UnknownKind(string kind) => $"There is no notice kind '{kind}'.";
}
