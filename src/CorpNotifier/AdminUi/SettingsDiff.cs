using CorpNotifier.Admin;
using CorpNotifier.Notices;

namespace CorpNotifier.AdminUi;

/// <summary>
/// A notice's settings as text to compare: the mode's name, the offset as <c>d.hh:mm:ss</c>, the
/// window as <c>09:00–19:00 businessDays</c>, the cap as <c>1 per contract within 1.00:00:00</c>
/// (<see cref="SettingsDiff.NoCap"/> when uncapped; a window or cap <c>null</c> is unknown: a version kept before they existed).
/// </summary>
public sealed record SettingsValues(
    bool Enabled,
    string Mode,
    string Offset,
    IReadOnlyDictionary<string, string> Slugs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraRecipients)
{
    public string? Window { get; init; }

    public string? Cap { get; init; }

    public static SettingsValues From(EffectiveNoticeSettings s) =>
        new(s.Enabled, s.Mode.ToString(), SettingsForm.FormatOffset(s.Offset), s.Slugs, s.ExtraRecipients)
        {
            Window = SettingsDiff.Show(SendWindowView.From(s.Window)),
            Cap = SettingsDiff.Show(FrequencyCapView.From(s.Cap)),
        };

    public static SettingsValues From(NoticeSettingsUpdate s) => From(NoticeSettingsValues.From(s));

    public static SettingsValues From(NoticeSettingsView s) =>
        new(s.Enabled, s.Mode, SettingsForm.FormatOffset(s.Offset), s.Slugs, s.ExtraRecipients)
        {
            Window = s.Window is null ? null : SettingsDiff.Show(s.Window),
            Cap = SettingsDiff.Show(s.Cap),
        };

    /// <summary>A version in the settings' history.</summary>
    public static SettingsValues From(NoticeSettingsValues s) =>
        new(s.Enabled, s.Mode, SettingsForm.FormatOffset(s.Offset), s.Slugs, s.ExtraRecipients)
        {
            Window = s.Window is null ? null : SettingsDiff.Show(s.Window),
            Cap = s.Window is null && s.Cap is null ? null : SettingsDiff.Show(s.Cap),
        };
}

/// <summary>The settings' parts a change is shown by.</summary>
public enum SettingsField
{
    Enabled,
    Mode,
    Offset,
    Slugs,
    ExtraRecipients,
    Window,
    Cap,
}

/// <summary>One changed setting: the field, the country for slugs and recipients, the value before and after (null: not set).</summary>
public sealed record SettingsChange(SettingsField Field, string? Country, string? Before, string? After);

/// <summary>Field by field, what differs between two versions of a notice's settings.</summary>
public static class SettingsDiff
{
    /// <summary>The changed settings only, in the form's order; <paramref name="before"/> null means everything is new.</summary>
    public static IReadOnlyList<SettingsChange> Compare(SettingsValues? before, SettingsValues after)
    {
        var changes = new List<SettingsChange>();
        if (before?.Enabled != after.Enabled)
        {
            changes.Add(new(SettingsField.Enabled, null, before is null ? null : Flag(before.Enabled), Flag(after.Enabled)));
        }

        if (before?.Mode != after.Mode)
        {
            changes.Add(new(SettingsField.Mode, null, before?.Mode, after.Mode));
        }

        if (before?.Offset != after.Offset)
        {
            changes.Add(new(SettingsField.Offset, null, before?.Offset, after.Offset));
        }

        PerCountry(SettingsField.Slugs, before?.Slugs ?? new Dictionary<string, string>(), after.Slugs, s => s, changes);
        PerCountry(
            SettingsField.ExtraRecipients,
            before?.ExtraRecipients ?? new Dictionary<string, IReadOnlyList<string>>(),
            after.ExtraRecipients,
            list => string.Join(", ", list),
            changes);
        if (after.Window is not null && before?.Window != after.Window)
        {
            changes.Add(new(SettingsField.Window, null, before?.Window, after.Window));
        }

        if (after.Cap is not null && before?.Cap != after.Cap)
        {
            changes.Add(new(SettingsField.Cap, null, before?.Cap, after.Cap));
        }

        return changes;
    }

    /// <summary>How no cap is written in a change (the page shows it in its language).</summary>
    public const string NoCap = "none";

    /// <summary>A window in a change: <c>09:00–19:00 businessDays</c>.</summary>
    public static string Show(SendWindowView window) => $"{window.Start}–{window.End} {window.Days}";

    /// <summary>A cap in a change: <c>1 per contract within 1.00:00:00</c>, or <see cref="NoCap"/>.</summary>
    public static string Show(FrequencyCapView? cap) =>
        cap is null ? NoCap : $"{cap.Count} per {cap.Per} within {SettingsForm.FormatOffset(cap.Period)}";

    /// <summary>How a switch is written in a change: <c>true</c> or <c>false</c> (the page shows it in its language).</summary>
    public static string Flag(bool value) => value ? "true" : "false";

    private static void PerCountry<T>(
        SettingsField field,
        IReadOnlyDictionary<string, T> before,
        IReadOnlyDictionary<string, T> after,
        Func<T, string> show,
        List<SettingsChange> changes)
    {
        var countries = SettingsForm.Countries(before.Keys.Concat(after.Keys).Distinct(StringComparer.Ordinal));
        foreach (var country in countries)
        {
            var old = before.TryGetValue(country, out var b) ? show(b) : null;
            var now = after.TryGetValue(country, out var a) ? show(a) : null;
            if (!string.Equals(old, now, StringComparison.Ordinal))
            {
                changes.Add(new(field, country, old, now));
            }
        }
    }
}
