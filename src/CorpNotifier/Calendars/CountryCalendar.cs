using NodaTime;

namespace CorpNotifier.Calendars;

/// <summary>One dated fact of a country's calendar, with why it is so (a holiday's name, a transfer's decree).</summary>
public sealed record CalendarDay(LocalDate Date, string? Note = null);

/// <summary>
/// One country's calendar for one year, as shipped in <c>Calendars/Data/{country}-{year}.json</c>, imported
/// or edited: the weekdays that are days off (holidays and days off moved onto a weekday) and the Saturdays or
/// Sundays that are working days (days off moved away). Every other day is a business day from Monday to Friday.
/// <see cref="Source"/> names where the facts come from: the law and the government's decree on transfers.
/// </summary>
public sealed record CountryCalendar(
    string Country,
    int Year,
    IReadOnlyList<CalendarDay> DaysOff,
    IReadOnlyList<CalendarDay> WorkingDays,
    string Source)
{
    /// <summary>What is wrong with this calendar, each naming its field; empty when it can be put in place.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Country) || Country.Length != 3 || !Country.All(char.IsAsciiLetterLower))
        {
            problems.Add($"country: '{Country}' is not a lowercase ISO 3166 alpha-3 code (rus, kaz, deu…).");
        }

        if (Year is < 1900 or > 2200)
        {
            problems.Add($"year: {Year} is out of range (1900–2200).");
        }

        if (string.IsNullOrWhiteSpace(Source))
        {
            problems.Add("source: say where the facts come from (the law, the decree's number and date).");
        }

        CheckDays(nameof(DaysOff), DaysOff, problems);
        CheckDays(nameof(WorkingDays), WorkingDays, problems);
        if (DaysOff is not null && WorkingDays is not null)
        {
            var off = DaysOff.Where(d => d is not null).Select(d => d.Date).ToHashSet();
            foreach (var both in WorkingDays.Where(d => d is not null && off.Contains(d.Date)).Select(d => d.Date).Distinct())
            {
                problems.Add($"workingDays: {both:yyyy-MM-dd} is also in daysOff; a day is either off or working.");
            }
        }

        return problems;
    }

    private void CheckDays(string field, IReadOnlyList<CalendarDay>? days, List<string> problems)
    {
        var name = char.ToLowerInvariant(field[0]) + field[1..];
        if (days is null)
        {
            problems.Add($"{name}: required (an empty list when there are none).");
            return;
        }

        var seen = new HashSet<LocalDate>();
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            if (day is null)
            {
                problems.Add($"{name}[{i}]: a date is required.");
                continue;
            }

            if (day.Date.Year != Year)
            {
                problems.Add($"{name}[{i}]: {day.Date:yyyy-MM-dd} is outside the calendar's year {Year}.");
            }

            if (!seen.Add(day.Date))
            {
                problems.Add($"{name}[{i}]: {day.Date:yyyy-MM-dd} is listed twice.");
            }
        }
    }
}
