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
        return new EffectiveNoticeSettings(
            kind,
            configured.Enabled ?? true,
            configured.Mode ?? NoticeMode.Live,
            configured.Offset ?? rule?.DefaultOffset ?? TimeSpan.Zero,
            new Dictionary<string, string>(slugs, StringComparer.OrdinalIgnoreCase),
            configured.ExtraRecipients.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>Validates section <c>Notices</c> at start: known kinds, non-negative offsets, well-formed addresses.</summary>
public sealed class NoticesOptionsValidator(NoticeCatalog catalog) : IValidateOptions<NoticesOptions>
{
    public ValidateOptionsResult Validate(string? name, NoticesOptions options)
    {
        var failures = new List<string>();
        foreach (var (kind, settings) in options)
        {
            var key = $"Notices:{kind}";
            if (catalog.Find(kind) is null)
            {
                failures.Add($"{key}: unknown notice kind; known kinds are {string.Join(", ", catalog.Kinds)}.");
                continue;
            }

            if (settings.Offset < TimeSpan.Zero)
            {
                failures.Add($"{key}:Offset: must not be negative (was {settings.Offset}).");
            }

            foreach (var (country, slug) in settings.Slugs)
            {
                if (string.IsNullOrWhiteSpace(slug))
                {
                    failures.Add($"{key}:Slugs:{country}: must not be empty.");
                }
            }

            foreach (var (country, recipients) in settings.ExtraRecipients)
            {
                for (var i = 0; i < recipients.Count; i++)
                {
                    if (!EmailAddress.IsValid(recipients[i]))
                    {
                        failures.Add($"{key}:ExtraRecipients:{country}:{i}: '{recipients[i]}' is not an email address.");
                    }
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
