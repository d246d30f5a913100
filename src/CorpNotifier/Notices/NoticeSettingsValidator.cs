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
    Window,
    Cap,
}

/// <summary>Where a settings failure is: a field, the country under it, the position in that country's list.</summary>
public sealed record NoticeSettingsPath(NoticeSettingsField Field, string? Country = null, int? Index = null)
{
    /// <summary>The part of a field made of parts: <c>Start</c>, <c>End</c>, <c>Days</c> of the window; <c>Count</c>, <c>Per</c>, <c>Period</c> of the cap.</summary>
    public string? Part { get; init; }
}

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
    IReadOnlyDictionary<string, List<string>>? ExtraRecipients)
{
    /// <summary>The send window as written; <c>null</c>: not given.</summary>
    public SendWindowCandidate? Window { get; init; }

    /// <summary>The frequency cap as written; <c>null</c>: not given.</summary>
    public FrequencyCapCandidate? Cap { get; init; }
}

/// <summary>A send window as a source writes it: local times as <c>HH:mm</c>, the days by name (<c>businessDays</c>, <c>anyDay</c>, <c>off</c>).</summary>
public sealed record SendWindowCandidate(string? Start, string? End, string? Days);

/// <summary>A frequency cap as a source writes it: the count, the key by name (<c>client</c>, <c>contract</c>, <c>recipient</c>), the period.</summary>
public sealed record FrequencyCapCandidate(int? Count, string? Per, TimeSpan? Period);

/// <summary>How windows and caps are written in the settings API, the console and the history: <c>09:00</c>, <c>businessDays</c>, <c>contract</c>.</summary>
public static class SettingsText
{
    /// <summary>A local time as <c>HH:mm</c>.</summary>
    public static string Time(TimeOnly time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A local time written <c>HH:mm</c> (hours 00–23); anything else does not read.</summary>
    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out time);

    /// <summary>An enum value by its camel-case name: <c>businessDays</c>, <c>contract</c>.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>An enum value by name, any case; numbers do not read.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    /// <summary>The names a setting of <typeparamref name="T"/> takes, for messages: <c>businessDays, anyDay or off</c>.</summary>
    public static string Names<T>(string or)
        where T : struct, Enum
    {
        var names = Enum.GetValues<T>().Select(v => Name(v)).ToList();
        return string.Join(", ", names[..^1]) + $" {or} " + names[^1];
    }

    /// <summary>A cap's period in words: <c>24 h</c>, <c>7 d</c>, <c>30 min</c>.</summary>
    public static string Period(TimeSpan period) =>
        period.TotalHours <= 48 && period.Ticks % TimeSpan.TicksPerHour == 0 ? $"{period.TotalHours:0} h"
        : period.Ticks % TimeSpan.TicksPerDay == 0 ? $"{period.TotalDays:0} d"
        : period.Ticks % TimeSpan.TicksPerMinute == 0 && period < TimeSpan.FromHours(1) ? $"{period.TotalMinutes:0} min"
        : period.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}

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

        if (settings.Window is { } window)
        {
            CheckWindow(window);
        }

        if (settings.Cap is { } cap)
        {
            CheckCap(cap);
        }

        return failures;

        void PartFail(NoticeSettingsField field, string part, string message, string russian) =>
            failures.Add(new NoticeSettingsFailure(new NoticeSettingsPath(field) { Part = part }, message, russian));

        void CheckWindow(SendWindowCandidate window)
        {
            TimeOnly? start = null, end = null;
            foreach (var (part, text) in new[] { ("Start", window.Start), ("End", window.End) })
            {
                if (text is null)
                {
                    PartFail(NoticeSettingsField.Window, part, "is required, a local time such as 09:00", "обязательно: местное время, например 09:00");
                }
                else if (!SettingsText.TryParseTime(text, out var time))
                {
                    PartFail(NoticeSettingsField.Window, part, $"must be a local time HH:mm from 00:00 to 23:59 (was '{text}')", $"должно быть местным временем ЧЧ:мм от 00:00 до 23:59 (было «{text}»)");
                }
                else if (part == "Start")
                {
                    start = time;
                }
                else
                {
                    end = time;
                }
            }

            if (start is { } s && end is { } e && e <= s)
            {
                PartFail(NoticeSettingsField.Window, "End", $"must be after the start {SettingsText.Time(s)} (was {SettingsText.Time(e)}); a window does not cross midnight", $"должен быть позже начала {SettingsText.Time(s)} (было {SettingsText.Time(e)}); окно не переходит через полночь");
            }

            if (window.Days is null)
            {
                PartFail(NoticeSettingsField.Window, "Days", $"is required: {SettingsText.Names<WindowDays>("or")}", $"обязательны: {SettingsText.Names<WindowDays>("или")}");
            }
            else if (!SettingsText.TryParse<WindowDays>(window.Days, out _))
            {
                PartFail(NoticeSettingsField.Window, "Days", $"must be {SettingsText.Names<WindowDays>("or")} (was '{window.Days}')", $"должны быть {SettingsText.Names<WindowDays>("или")} (было «{window.Days}»)");
            }
        }

        void CheckCap(FrequencyCapCandidate cap)
        {
            if (cap.Count is not { } count)
            {
                PartFail(NoticeSettingsField.Cap, "Count", "is required: how many letters per key and period", "обязательно: сколько писем на ключ за период");
            }
            else if (count <= 0)
            {
                PartFail(NoticeSettingsField.Cap, "Count", $"must be at least 1 (was {count}); to remove the cap, switch it off", $"должно быть не меньше 1 (было {count}); чтобы снять ограничение, выключите его");
            }

            if (cap.Per is null)
            {
                PartFail(NoticeSettingsField.Cap, "Per", $"is required: {SettingsText.Names<CapKey>("or")}", $"обязателен: {SettingsText.Names<CapKey>("или")}");
            }
            else if (!SettingsText.TryParse<CapKey>(cap.Per, out _))
            {
                PartFail(NoticeSettingsField.Cap, "Per", $"must be {SettingsText.Names<CapKey>("or")} (was '{cap.Per}')", $"должен быть {SettingsText.Names<CapKey>("или")} (было «{cap.Per}»)");
            }

            if (cap.Period is not { } period)
            {
                PartFail(NoticeSettingsField.Cap, "Period", "is required, e.g. \"1.00:00:00\" for a day", "обязателен, например «1.00:00:00» — сутки");
            }
            else if (period <= TimeSpan.Zero)
            {
                PartFail(NoticeSettingsField.Cap, "Period", $"must be positive (was {period})", $"должен быть положительным (было {period})");
            }
            else if (period > MaxOffset)
            {
                PartFail(NoticeSettingsField.Cap, "Period", $"must be at most {MaxOffset} (was {period})", $"должен быть не больше {MaxOffset} (было {period})");
            }
        }

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
