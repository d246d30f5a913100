using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime.Text;

namespace CorpNotifier.Calendars;

/// <summary>
/// The file form of a <see cref="CountryCalendar"/>: the shipped calendars (embedded in the assembly as
/// <c>calendars/{country}-{year}.json</c>) and a year imported as a file read the same way.
/// </summary>
/// <example>
/// <code>
/// { "country": "rus", "year": 2026, "source": "…",
///   "daysOff": [ { "date": "2026-01-09", "note": "day off moved from Saturday 3 January" } ],
///   "workingDays": [] }
/// </code>
/// </example>
public static class CountryCalendarFile
{
    private const string ResourcePrefix = "calendars/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a calendar file; the problems name the field (empty when the calendar can be put in place).</summary>
    public static (CountryCalendar? Calendar, IReadOnlyList<string> Problems) Parse(string json)
    {
        FileForm? file;
        try
        {
            file = JsonSerializer.Deserialize<FileForm>(json, Json);
        }
        catch (JsonException e)
        {
            return (null, [$"{(string.IsNullOrEmpty(e.Path) ? "$" : e.Path)}: not a calendar file ({e.Message})"]);
        }

        if (file is null)
        {
            return (null, ["$: not a calendar file (null)."]);
        }

        var problems = new List<string>();
        var calendar = new CountryCalendar(
            file.Country?.Trim() ?? "",
            file.Year,
            Days("daysOff", file.DaysOff, problems),
            Days("workingDays", file.WorkingDays, problems),
            file.Source ?? "");
        problems.AddRange(calendar.Problems());
        return problems.Count == 0 ? (calendar, problems) : (null, problems);
    }

    /// <summary>The calendar as a file, in the form <see cref="Parse"/> reads.</summary>
    public static string Write(CountryCalendar calendar) =>
        JsonSerializer.Serialize(
            new FileForm
            {
                Country = calendar.Country,
                Year = calendar.Year,
                Source = calendar.Source,
                DaysOff = calendar.DaysOff.Select(DayForm.From).ToList(),
                WorkingDays = calendar.WorkingDays.Select(DayForm.From).ToList(),
            },
            Json);

    /// <summary>The calendars shipped with the service, one per country and year.</summary>
    public static IReadOnlyList<CountryCalendar> Shipped()
    {
        var assembly = typeof(CountryCalendarFile).Assembly;
        var calendars = new List<CountryCalendar>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var (calendar, problems) = Parse(reader.ReadToEnd());
            if (calendar is null)
            {
                // A shipped file is part of the build: a broken one is a bug to fail on, not a calendar to skip.
                throw new InvalidOperationException($"The shipped calendar {name} is invalid: {string.Join(" ", problems)}");
            }

            calendars.Add(calendar);
        }

        return calendars;
    }

    private static List<CalendarDay> Days(string field, List<DayForm?>? days, List<string> problems)
    {
        var result = new List<CalendarDay>();
        if (days is null)
        {
            return result;
        }

        for (var i = 0; i < days.Count; i++)
        {
            var parsed = days[i]?.Date is { } text ? LocalDatePattern.Iso.Parse(text) : null;
            if (parsed is null || !parsed.Success)
            {
                problems.Add($"{field}[{i}].date: '{days[i]?.Date}' is not a date (yyyy-MM-dd).");
                continue;
            }

            result.Add(new CalendarDay(parsed.Value, string.IsNullOrWhiteSpace(days[i]!.Note) ? null : days[i]!.Note));
        }

        return result;
    }

    private sealed class FileForm
    {
        public string? Country { get; init; }

        public int Year { get; init; }

        public string? Source { get; init; }

        public List<DayForm?>? DaysOff { get; init; }

        public List<DayForm?>? WorkingDays { get; init; }
    }

    private sealed class DayForm
    {
        public string? Date { get; init; }

        public string? Note { get; init; }

        public static DayForm? From(CalendarDay day) =>
            new() { Date = LocalDatePattern.Iso.Format(day.Date), Note = day.Note };
    }
}
