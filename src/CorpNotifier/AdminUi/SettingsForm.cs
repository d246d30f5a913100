using System.Globalization;
using CorpNotifier.Admin;
using CorpNotifier.Notices;

namespace CorpNotifier.AdminUi;

/// <summary>A problem with the settings form, for the field it belongs to (a <see cref="SettingsForm"/> property name), in both languages.</summary>
public sealed record SettingsFormError(string Field, string English, string Russian);

/// <summary>What the form gives: the settings as the settings API's body, or why the form does not read.</summary>
public sealed record SettingsFormInput(NoticeSettingsBody? Body, IReadOnlyList<SettingsFormError> Errors);

/// <summary>
/// A notice's settings as the console's form edits them: the offset as text (<c>d.hh:mm:ss</c>),
/// the slugs one line per country (<c>country = slug</c>), the extra recipients one line per
/// country (<c>country = a@x.example, b@y.example</c>), and the version the form was shown at.
/// The form only reads its text into the settings API's body; the change itself, its rules and
/// their messages are <see cref="SettingsOperations"/>'s, as for the API.
/// </summary>
public sealed class SettingsForm
{
    public bool Enabled { get; set; }

    public string? Mode { get; set; }

    public string? Offset { get; set; }

    public string? Slugs { get; set; }

    public string? ExtraRecipients { get; set; }

    /// <summary>The send window's local opening time, <c>HH:mm</c>.</summary>
    public string? WindowStart { get; set; }

    /// <summary>The send window's local closing time, <c>HH:mm</c>.</summary>
    public string? WindowEnd { get; set; }

    /// <summary><c>off</c>, <c>businessDays</c> or <c>anyDay</c>.</summary>
    public string? WindowDays { get; set; }

    /// <summary>Letters allowed per key and period; blank: no cap.</summary>
    public string? CapCount { get; set; }

    /// <summary><c>client</c>, <c>contract</c> or <c>recipient</c>.</summary>
    public string? CapPer { get; set; }

    /// <summary>The cap's period as the offset is written, <c>1.00:00:00</c>.</summary>
    public string? CapPeriod { get; set; }

    /// <summary>The version of the settings the form was shown with: a save applies only on top of it.</summary>
    public int Version { get; set; }

    public static SettingsForm From(NoticeSettingsView stored) => new()
    {
        Enabled = stored.Enabled,
        Mode = stored.Mode,
        Offset = FormatOffset(stored.Offset),
        Slugs = FormatSlugs(stored.Slugs),
        ExtraRecipients = FormatRecipients(stored.ExtraRecipients),
        WindowStart = stored.Window?.Start,
        WindowEnd = stored.Window?.End,
        WindowDays = stored.Window?.Days,
        CapCount = stored.Cap?.Count.ToString(CultureInfo.InvariantCulture),
        CapPer = stored.Cap?.Per ?? SettingsText.Name(CapKey.Contract),
        CapPeriod = FormatOffset(stored.Cap?.Period ?? TimeSpan.FromDays(1)),
        Version = stored.Version,
    };

    /// <summary>The offset as the form and the API write it: <c>3.00:00:00</c>, <c>01:30:00</c>.</summary>
    public static string FormatOffset(TimeSpan offset) => offset.ToString("c", CultureInfo.InvariantCulture);

    public static string FormatSlugs(IReadOnlyDictionary<string, string> slugs) =>
        string.Join('\n', Countries(slugs.Keys).Select(c => $"{c} = {slugs[c]}"));

    public static string FormatRecipients(IReadOnlyDictionary<string, IReadOnlyList<string>> recipients) =>
        string.Join('\n', Countries(recipients.Keys).Select(c => $"{c} = {string.Join(", ", recipients[c])}"));

    /// <summary><c>default</c> first, then the countries in alphabetical order.</summary>
    public static IEnumerable<string> Countries(IEnumerable<string> countries) =>
        countries.OrderBy(c => c == EffectiveNoticeSettings.DefaultCountry ? 0 : 1).ThenBy(c => c, StringComparer.Ordinal);

    public static bool TryParseOffset(string? text, out TimeSpan offset) =>
        TimeSpan.TryParseExact(text?.Trim(), "c", CultureInfo.InvariantCulture, out offset);

    /// <summary>The slugs, one line per country; blank lines are skipped, a malformed line is an error of its own.</summary>
    public static Dictionary<string, string> ParseSlugs(string? text, ICollection<SettingsFormError> errors)
    {
        var slugs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, country, value) in Lines(text, nameof(Slugs), "rus = low-balance", errors, slugs.ContainsKey))
        {
            if (value.Length == 0)
            {
                errors.Add(new(nameof(Slugs), $"Line {line}: the slug for '{country}' is missing.", $"Строка {line}: не указан шаблон для «{country}»."));
                continue;
            }

            slugs[country] = value;
        }

        return slugs;
    }

    /// <summary>
    /// The extra recipients, one line per country, addresses separated by commas (or semicolons);
    /// a country with no address is kept: it overrides <c>default</c> with nobody.
    /// </summary>
    public static Dictionary<string, List<string>> ParseRecipients(string? text, ICollection<SettingsFormError> errors)
    {
        var recipients = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (_, country, value) in Lines(text, nameof(ExtraRecipients), "rus = a@corp.example, b@corp.example", errors, recipients.ContainsKey))
        {
            recipients[country] = [.. value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return recipients;
    }

    /// <summary>
    /// The form as the settings API's body: the offset and the textareas parsed (a line or an offset
    /// that does not read is an error of the form, in both languages); a blank mode or offset is left
    /// out, for the change's rules to require.
    /// </summary>
    public SettingsFormInput Read()
    {
        var errors = new List<SettingsFormError>();
        TimeSpan? offset = null;
        if (!string.IsNullOrWhiteSpace(Offset))
        {
            if (TryParseOffset(Offset, out var parsed))
            {
                offset = parsed;
            }
            else
            {
                errors.Add(new(
                    nameof(Offset),
                    $"'{Offset.Trim()}' is not a duration: write days.hours:minutes:seconds, e.g. 3.00:00:00 for three days or 01:30:00 for an hour and a half.",
                    $"«{Offset.Trim()}» — не длительность: пишите дни.часы:минуты:секунды, например 3.00:00:00 — три дня, 01:30:00 — полтора часа."));
            }
        }

        var slugs = ParseSlugs(Slugs, errors);
        var recipients = ParseRecipients(ExtraRecipients, errors);
        var cap = ReadCap(errors);
        return errors.Count > 0
            ? new SettingsFormInput(null, errors)
            : new SettingsFormInput(
                new NoticeSettingsBody(Enabled, string.IsNullOrWhiteSpace(Mode) ? null : Mode.Trim(), offset, slugs, recipients)
                {
                    // A form without the window's fields (posted by an older page) leaves the window as it is.
                    Window = Blank(WindowStart) && Blank(WindowEnd) && Blank(WindowDays) ? null : new SendWindowBody(Trimmed(WindowStart), Trimmed(WindowEnd), Trimmed(WindowDays)),
                    Cap = cap,
                },
                []);
    }

    /// <summary>The cap as the API's body: none when the count is blank; a count or period that does not read is an error of the form.</summary>
    private FrequencyCapBody ReadCap(List<SettingsFormError> errors)
    {
        if (Blank(CapCount))
        {
            return new FrequencyCapBody { Enabled = false };
        }

        int? count = null;
        if (int.TryParse(CapCount!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            count = parsed;
        }
        else
        {
            errors.Add(new(nameof(CapCount), $"'{CapCount.Trim()}' is not a number of letters: write e.g. 1, or leave it empty for no cap.", $"«{CapCount.Trim()}» — не число писем: напишите, например, 1 или оставьте пустым, чтобы не ограничивать."));
        }

        TimeSpan? period = null;
        if (!Blank(CapPeriod))
        {
            if (TryParseOffset(CapPeriod, out var p))
            {
                period = p;
            }
            else
            {
                errors.Add(new(
                    nameof(CapPeriod),
                    $"'{CapPeriod!.Trim()}' is not a duration: write days.hours:minutes:seconds, e.g. 1.00:00:00 for a day.",
                    $"«{CapPeriod!.Trim()}» — не длительность: пишите дни.часы:минуты:секунды, например 1.00:00:00 — сутки."));
            }
        }

        return new FrequencyCapBody { Count = count, Per = Trimmed(CapPer), Period = period };
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);

    private static string? Trimmed(string? text) => Blank(text) ? null : text!.Trim();

    /// <summary>The change's refusals (keyed as in the API's body: <c>offset</c>, <c>slugs.rus</c>) on the form's fields, each as "key: message" in both languages.</summary>
    public static IReadOnlyList<SettingsFormError> ErrorsFrom(IEnumerable<FieldError> errors) =>
        [.. errors.Select(e => new SettingsFormError(FieldOf(e.Key), $"{e.Key}: {e.Message}", $"{e.Key}: {e.Russian}"))];

    /// <summary>
    /// What the form holds as settings values, as far as they read: for comparing an edit with
    /// stored settings even when it would not pass (the offset and mode as written, malformed lines left out).
    /// </summary>
    public SettingsValues Values()
    {
        var ignored = new List<SettingsFormError>();
        return new SettingsValues(
            Enabled,
            TryParseMode(Mode) ?? Mode?.Trim() ?? "",
            TryParseOffset(Offset, out var offset) ? FormatOffset(offset) : Offset?.Trim() ?? "",
            ParseSlugs(Slugs, ignored),
            ParseRecipients(ExtraRecipients, ignored).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal))
        {
            Window = Blank(WindowStart) && Blank(WindowEnd) && Blank(WindowDays)
                ? null
                : SettingsDiff.Show(new SendWindowView(WindowStart?.Trim() ?? "", WindowEnd?.Trim() ?? "", WindowDays?.Trim() ?? "")),
            Cap = Blank(CapCount)
                ? SettingsDiff.NoCap
                : $"{CapCount!.Trim()} per {CapPer?.Trim()} within {(TryParseOffset(CapPeriod, out var period) ? FormatOffset(period) : CapPeriod?.Trim())}",
        };
    }

    private static string? TryParseMode(string? mode) =>
        Enum.TryParse<NoticeMode>(mode?.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(mode, out _)
            ? parsed.ToString()
            : null;

    /// <summary>The form's field of a body key: <c>slugs.rus</c> is on <see cref="Slugs"/>; a key of no field (<c>enabled</c>) is the form's own.</summary>
    private static string FieldOf(string key) => key.Split('.', '[')[0] switch
    {
        "mode" => nameof(Mode),
        "offset" => nameof(Offset),
        "slugs" => nameof(Slugs),
        "extraRecipients" => nameof(ExtraRecipients),
        "window" => key switch
        {
            "window.start" => nameof(WindowStart),
            "window.end" => nameof(WindowEnd),
            _ => nameof(WindowDays),
        },
        "cap" => key switch
        {
            "cap.per" => nameof(CapPer),
            "cap.period" => nameof(CapPeriod),
            _ => nameof(CapCount),
        },
        _ => "",
    };

    /// <summary>The non-blank lines of a textarea as <c>country = value</c>, with an error for each line that is not.</summary>
    private static IEnumerable<(int Line, string Country, string Value)> Lines(
        string? text, string field, string example, ICollection<SettingsFormError> errors, Func<string, bool> seen)
    {
        var lines = (text ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var number = i + 1;
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                errors.Add(new(field, $"Line {number}: write it as “country = …”, e.g. “{example}”.", $"Строка {number}: пишите «страна = …», например «{example}»."));
                continue;
            }

            var country = line[..equals].Trim();
            if (country.Length == 0)
            {
                errors.Add(new(field, $"Line {number}: the country is missing before “=”.", $"Строка {number}: перед «=» не указана страна."));
                continue;
            }

            if (seen(country))
            {
                errors.Add(new(field, $"Line {number}: '{country}' is given twice; keep one line per country.", $"Строка {number}: «{country}» указана дважды; оставьте одну строку на страну."));
                continue;
            }

            yield return (number, country, line[(equals + 1)..].Trim());
        }
    }
}
