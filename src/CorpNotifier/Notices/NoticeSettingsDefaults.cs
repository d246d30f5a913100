using CorpNotifier.Rules;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Notices;

/// <summary>
/// Notice settings as configuration (section <c>Notices</c>) and the rules' defaults give them:
/// what the stored settings start from, and what they are re-synced to while no operator edited them.
/// </summary>
public sealed class NoticeSettingsDefaults(IOptionsMonitor<NoticesOptions> options, NoticeCatalog catalog)
{
    public EffectiveNoticeSettings Get(string kind)
    {
        var configured = options.CurrentValue.GetValueOrDefault(kind) ?? new NoticeSettings();
        var rule = catalog.Find(kind);
        var slugs = configured.Slugs.Count > 0
            ? configured.Slugs
            : rule is null ? [] : new Dictionary<string, string> { [EffectiveNoticeSettings.DefaultCountry] = rule.DefaultSlug };
        var window = DefaultWindow(rule);
        var cap = DefaultCap(kind);
        return new EffectiveNoticeSettings(
            kind,
            configured.Enabled ?? true,
            configured.Mode ?? NoticeMode.Live,
            configured.Offset ?? rule?.DefaultOffset ?? TimeSpan.Zero,
            new Dictionary<string, string>(slugs, StringComparer.OrdinalIgnoreCase),
            configured.ExtraRecipients.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.OrdinalIgnoreCase))
        {
            Window = configured.Window is { } w
                ? new SendWindowSettings(w.Start ?? window.Start, w.End ?? window.End, w.Days ?? (w.Start is not null || w.End is not null ? WindowDays.BusinessDays : window.Days))
                : window,
            Cap = configured.Cap switch
            {
                { Enabled: false } => null,
                { Count: > 0 } c => new FrequencyCap(c.Count.Value, c.Per ?? cap?.Per ?? CapKey.Client, c.Period ?? cap?.Period ?? TimeSpan.FromDays(1)),
                _ => cap,
            },
        };
    }

    /// <summary>
    /// A letter with a delay (a reminder, an onboarding letter) waits for business hours on business
    /// days of its recipient; one without a delay answers something that just happened and goes at once.
    /// </summary>
    public static SendWindowSettings DefaultWindow(NoticeRule? rule) =>
        rule is { Audience: Audience.Client } && rule.DefaultOffset > TimeSpan.Zero ? SendWindowSettings.BusinessHours : SendWindowSettings.None;

    /// <summary>A balance flapping around its threshold makes one low-balance letter a day per contract; other kinds are uncapped.</summary>
    public static FrequencyCap? DefaultCap(string kind) =>
        kind == nameof(Rules.Balance.LowBalanceNotice) ? new FrequencyCap(1, CapKey.Contract, TimeSpan.FromDays(1)) : null;
}

/// <summary>Validates section <c>Notices</c> at start by the settings' rules, naming each failure by its configuration key.</summary>
public sealed class NoticesOptionsValidator(NoticeSettingsValidator validator) : IValidateOptions<NoticesOptions>
{
    public ValidateOptionsResult Validate(string? name, NoticesOptions options)
    {
        var failures = options
            .SelectMany(p => validator.Validate(Candidate(p.Key, p.Value)).Select(f => $"{Key(p.Key, f.Path)}: {f.Message}."))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// A kind's section as the rules check it. A window or cap section is checked as it stands with
    /// the kind's defaults filling in what it leaves out (so <c>Window:End</c> alone must still be
    /// after the default start); a cap switched off (<c>Enabled</c> false) or left to its default
    /// (<c>Count</c> missing) has nothing to check.
    /// </summary>
    private NoticeSettingsCandidate Candidate(string kind, NoticeSettings settings)
    {
        var window = NoticeSettingsDefaults.DefaultWindow(null);
        var cap = NoticeSettingsDefaults.DefaultCap(kind);
        return new NoticeSettingsCandidate(kind, settings.Mode?.ToString(), settings.Offset, settings.Slugs, settings.ExtraRecipients)
        {
            Window = settings.Window is { } w
                ? new SendWindowCandidate(SettingsText.Time(w.Start ?? window.Start), SettingsText.Time(w.End ?? window.End), (w.Days ?? WindowDays.BusinessDays).ToString())
                : null,
            Cap = settings.Cap is { Enabled: not false, Count: not null } c
                ? new FrequencyCapCandidate(c.Count, (c.Per ?? cap?.Per ?? CapKey.Client).ToString(), c.Period ?? cap?.Period ?? TimeSpan.FromDays(1))
                : null,
        };
    }

    /// <summary>The configuration key of a setting: <c>Notices:LowBalanceNotice:ExtraRecipients:default:0</c>, <c>Notices:LowBalanceNotice:Cap:Count</c>.</summary>
    public static string Key(string kind, NoticeSettingsPath path) =>
        string.Join(':', new[]
        {
            "Notices",
            kind,
            path.Field == NoticeSettingsField.Kind ? null : path.Field.ToString(),
            path.Part,
            path.Country,
            path.Index?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.OfType<string>());
}
