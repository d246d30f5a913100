using CorpNotifier.Admin;
using CorpNotifier.Notices;

namespace CorpNotifier.AdminUi;

/// <summary>A notice's settings as text to compare: the mode's name and the offset as <c>d.hh:mm:ss</c>.</summary>
public sealed record SettingsValues(
    bool Enabled,
    string Mode,
    string Offset,
    IReadOnlyDictionary<string, string> Slugs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraRecipients)
{
    public static SettingsValues From(EffectiveNoticeSettings s) =>
        new(s.Enabled, s.Mode.ToString(), SettingsForm.FormatOffset(s.Offset), s.Slugs, s.ExtraRecipients);

    public static SettingsValues From(NoticeSettingsUpdate s) =>
        new(s.Enabled, s.Mode.ToString(), SettingsForm.FormatOffset(s.Offset), s.Slugs, s.ExtraRecipients);

    public static SettingsValues From(NoticeSettingsView s) =>
        new(s.Enabled, s.Mode, SettingsForm.FormatOffset(s.Offset), s.Slugs, s.ExtraRecipients);

    /// <summary>A version in the settings' history.</summary>
    public static SettingsValues From(NoticeSettingsValues s) =>
        new(s.Enabled, s.Mode, SettingsForm.FormatOffset(s.Offset), s.Slugs, s.ExtraRecipients);
}

/// <summary>The settings' parts a change is shown by.</summary>
public enum SettingsField
{
    Enabled,
    Mode,
    Offset,
    Slugs,
    ExtraRecipients,
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
        return changes;
    }

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
