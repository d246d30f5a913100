using System.Collections.Concurrent;
using System.Collections.Frozen;
using NodaTime;
using PublicHoliday;

namespace CorpNotifier.Calendars;

/// <summary>
/// One country's business days: Monday to Friday less its days off, plus its transferred working days.
/// The facts come from the calendars shipped (or edited) as data, year by year, else from the PublicHoliday
/// package for the countries it covers; a year no data covers is Monday to Friday (<see cref="Covers"/> says so).
/// A country nothing covers is Monday to Friday with <see cref="IsKnown"/> false. Immutable and thread-safe:
/// an edit makes a new calendar (<see cref="BusinessCalendars.Replace"/>).
/// </summary>
public sealed class BusinessCalendar
{
    private readonly FrozenDictionary<int, Year> years;
    private readonly IPublicHolidays? library;
    private readonly string? librarySource;
    private readonly ConcurrentDictionary<int, FrozenSet<LocalDate>> libraryDaysOff = new();

    private BusinessCalendar(string country, IEnumerable<CountryCalendar> data, IPublicHolidays? library, string? librarySource)
    {
        Country = country;
        years = data.ToFrozenDictionary(c => c.Year, c => new Year(c));
        this.library = library;
        this.librarySource = librarySource;
        IsKnown = years.Count > 0 || library is not null;
        Source = Describe();
    }

    /// <summary>The country, a lowercase ISO 3166 alpha-3 code (<c>rus</c>, <c>deu</c>); empty when none was given.</summary>
    public string Country { get; }

    /// <summary>False when nothing covers the country: every year is Monday to Friday.</summary>
    public bool IsKnown { get; }

    /// <summary>Where the calendar's facts come from, for people (the shipped files' sources, the package).</summary>
    public string Source { get; }

    /// <summary>The years covered by calendar data (shipped, imported or edited), in order.</summary>
    public IReadOnlyList<int> DataYears => [.. years.Keys.Order()];

    /// <summary>The calendar data of a year, or null when the year has none.</summary>
    public CountryCalendar? DataFor(int year) => years.TryGetValue(year, out var y) ? y.Data : null;

    /// <summary>
    /// Whether the year's days off are known (data for the year, or the PublicHoliday package, which computes
    /// every year). A year not covered is Monday to Friday.
    /// </summary>
    public bool Covers(int year) => years.ContainsKey(year) || library is not null;

    /// <summary>Where the facts of one year come from; says so when the year falls back to Monday to Friday.</summary>
    public string SourceFor(int year) =>
        years.TryGetValue(year, out var y) ? y.Data.Source
        : librarySource ?? $"no calendar for {(Country.Length == 0 ? "an unknown country" : Country)} in {year}: Monday to Friday";

    /// <summary>Whether people are at work on that day in this country.</summary>
    public bool IsBusinessDay(LocalDate date)
    {
        if (years.TryGetValue(date.Year, out var year))
        {
            return year.Working.Contains(date) || (!IsWeekend(date) && !year.Off.Contains(date));
        }

        if (library is not null)
        {
            return !IsWeekend(date) && !LibraryDaysOff(date.Year).Contains(date);
        }

        return !IsWeekend(date);
    }

    /// <summary>
    /// The weekdays off the PublicHoliday package gives for a year, with the holiday's name; empty when the
    /// package does not cover the country.
    /// </summary>
    public IReadOnlyList<CalendarDay> PackageDaysOff(int year)
    {
        if (library is null)
        {
            return [];
        }

        IDictionary<DateTime, string[]> names;
        lock (library)
        {
            names = library.PublicHolidayNames(year);
        }

        return
        [
            .. LibraryDaysOff(year).Order()
                .Select(d => new CalendarDay(d, names.TryGetValue(d.ToDateTimeUnspecified(), out var name) && name.Length > 0 ? string.Join("; ", name) : null)),
        ];
    }

    /// <summary>Whether the PublicHoliday package covers the country (its years without data come from it).</summary>
    public bool HasPackage => library is not null;

    internal static BusinessCalendar FromData(string country, IEnumerable<CountryCalendar> data, IPublicHolidays? library, string? librarySource) =>
        new(country, data, library, librarySource);

    internal static BusinessCalendar MondayToFriday(string country) => new(country, [], null, null);

    internal IEnumerable<CountryCalendar> Data => years.Values.Select(y => y.Data);

    internal IPublicHolidays? Library => library;

    internal string? LibrarySource => librarySource;

    private static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    // The package's calendars keep a cache of their own that is not documented as thread-safe: each year is
    // asked once, under a lock, and kept here as a set.
    private FrozenSet<LocalDate> LibraryDaysOff(int year) => libraryDaysOff.GetOrAdd(year, DaysOffOf, library!);

    private static FrozenSet<LocalDate> DaysOffOf(int year, IPublicHolidays library)
    {
        lock (library)
        {
            var days = new List<LocalDate>();
            for (var date = new LocalDate(year, 1, 1); date.Year == year; date = date.PlusDays(1))
            {
                if (!IsWeekend(date) && !library.IsWorkingDay(date.ToDateTimeUnspecified()))
                {
                    days.Add(date);
                }
            }

            return days.ToFrozenSet();
        }
    }

    private string Describe()
    {
        var parts = years.Values.OrderBy(y => y.Data.Year).Select(y => $"{y.Data.Year}: {y.Data.Source}").ToList();
        if (librarySource is not null)
        {
            parts.Add(years.Count > 0 ? $"other years: {librarySource}" : librarySource);
        }
        else if (years.Count > 0)
        {
            parts.Add("other years: Monday to Friday");
        }

        return parts.Count > 0 ? string.Join("; ", parts)
            : $"no calendar for {(Country.Length == 0 ? "an unknown country" : Country)}: Monday to Friday";
    }

    private sealed class Year(CountryCalendar data)
    {
        public CountryCalendar Data { get; } = data;

        public FrozenSet<LocalDate> Off { get; } = data.DaysOff.Select(d => d.Date).ToFrozenSet();

        public FrozenSet<LocalDate> Working { get; } = data.WorkingDays.Select(d => d.Date).ToFrozenSet();
    }
}
