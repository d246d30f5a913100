using CorpNotifier.Rules;

namespace CorpNotifier.Notices;

/// <summary>The part of a notice's settings a rule is about.</summary>
public enum NoticeSettingsField
{
    /// <summary>The notice kind itself.</summary>
    Kind,
    Mode,
    Offset,
    Slugs,
    ExtraRecipients,
}

/// <summary>Where a settings failure is: a field, the country under it, the position in that country's list.</summary>
public sealed record NoticeSettingsPath(NoticeSettingsField Field, string? Country = null, int? Index = null);

/// <summary>A broken rule: where, and what is wrong (a phrase, without a final period), in English and in Russian for the console.</summary>
public sealed record NoticeSettingsFailure(NoticeSettingsPath Path, string Message, string Russian);

/// <summary>
/// The settings of one notice kind as a source gives them — configuration (section
/// <c>Notices:{Kind}</c>) or an operator's change — before they apply. A missing value is not
/// checked: whether it may be missing is the source's own business.
/// </summary>
public sealed record NoticeSettingsCandidate(
    string Kind,
    string? Mode,
    TimeSpan? Offset,
    IReadOnlyDictionary<string, string>? Slugs,
    IReadOnlyDictionary<string, List<string>>? ExtraRecipients);

/// <summary>
/// The rules of notice settings, each stated once, for every source: configuration checks them at
/// start (<see cref="NoticesOptionsValidator"/>), the settings API on every change. Each caller
/// names the failures' paths its own way (<c>Notices:LowBalanceNotice:Slugs:rus</c>, <c>slugs.rus</c>).
/// </summary>
public sealed class NoticeSettingsValidator(NoticeCatalog catalog)
{
    /// <summary>The longest delay a notice may wait after its event.</summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(365);

    public IReadOnlyList<NoticeSettingsFailure> Validate(NoticeSettingsCandidate settings)
    {
        var failures = new List<NoticeSettingsFailure>();
        void Fail(NoticeSettingsField field, string message, string russian, string? country = null, int? index = null) =>
            failures.Add(new NoticeSettingsFailure(new NoticeSettingsPath(field, country, index), message, russian));

        if (catalog.Find(settings.Kind) is null)
        {
            Fail(NoticeSettingsField.Kind, $"unknown notice kind; known kinds are {string.Join(", ", catalog.Kinds)}", $"неизвестный вид уведомления; известные виды: {string.Join(", ", catalog.Kinds)}");
            return failures;
        }

        if (settings.Mode is { } mode && !Enum.GetNames<NoticeMode>().Contains(mode, StringComparer.OrdinalIgnoreCase))
        {
            Fail(NoticeSettingsField.Mode, $"must be {string.Join(" or ", Enum.GetNames<NoticeMode>())} (was '{mode}')", $"должен быть {string.Join(" или ", Enum.GetNames<NoticeMode>())} (было «{mode}»)");
        }

        if (settings.Offset < TimeSpan.Zero)
        {
            Fail(NoticeSettingsField.Offset, $"must not be negative (was {settings.Offset})", $"не может быть отрицательной (было {settings.Offset})");
        }
        else if (settings.Offset > MaxOffset)
        {
            Fail(NoticeSettingsField.Offset, $"must be at most {MaxOffset} (was {settings.Offset})", $"должна быть не больше {MaxOffset} (было {settings.Offset})");
        }

        foreach (var (country, slug) in settings.Slugs ?? new Dictionary<string, string>())
        {
            CheckCountry(NoticeSettingsField.Slugs, country);
            if (string.IsNullOrWhiteSpace(slug))
            {
                Fail(NoticeSettingsField.Slugs, "must not be empty", "не может быть пустым", country);
            }
        }

        foreach (var (country, recipients) in settings.ExtraRecipients ?? new Dictionary<string, List<string>>())
        {
            CheckCountry(NoticeSettingsField.ExtraRecipients, country);
            if (recipients is null)
            {
                Fail(NoticeSettingsField.ExtraRecipients, "must be a list of email addresses", "должны быть списком адресов электронной почты", country);
                continue;
            }

            for (var i = 0; i < recipients.Count; i++)
            {
                if (!EmailAddress.IsValid(recipients[i]))
                {
                    Fail(NoticeSettingsField.ExtraRecipients, $"'{recipients[i]}' is not an email address", $"«{recipients[i]}» — не адрес электронной почты", country, i);
                }
            }
        }

        return failures;

        void CheckCountry(NoticeSettingsField field, string country)
        {
            // Clients' countries are lower-case ISO 3166 alpha-3 codes (the profile's schema says so).
            if (country != EffectiveNoticeSettings.DefaultCountry && !(country.Length == 3 && country.All(char.IsAsciiLetterLower)))
            {
                Fail(
                    field,
                    $"'{country}' is not a country: use a lower-case ISO 3166 alpha-3 code such as rus, or {EffectiveNoticeSettings.DefaultCountry}",
                    $"«{country}» — не страна: укажите код ISO 3166 alpha-3 строчными буквами, например rus, или {EffectiveNoticeSettings.DefaultCountry}",
                    country);
            }
        }
    }
}
