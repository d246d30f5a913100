using CorpNotifier.Calendars;

namespace CorpNotifier.Admin;

/// <summary>A country's calendar as operators see it.</summary>
/// <param name="Country">Lowercase ISO 3166 alpha-3 code.</param>
/// <param name="Kind"><c>data</c> (shipped, edited or imported years), <c>library</c> (the PublicHoliday package), <c>weekdays</c> (none: Monday–Friday).</param>
/// <param name="Source">Where the facts come from (the newest year's source for a data country).</param>
/// <param name="Years">The years with data, ascending.</param>
/// <param name="EditedYears">The years an admin edited or imported, ascending.</param>
/// <param name="MissingYears">Of this year and the next, those a data country lacks.</param>
/// <param name="PendingLetters">Client letters pending for this country (<c>Notice.Country</c>).</param>
public sealed record CalendarCountryView(
    string Country,
    string Kind,
    string? Source,
    IReadOnlyList<int> Years,
    IReadOnlyList<int> EditedYears,
    IReadOnlyList<int> MissingYears,
    int PendingLetters)
{
    public const string Data = "data";
    public const string Library = "library";
    public const string Weekdays = "weekdays";
}

/// <summary>One dated fact of a calendar year: a day off or a working day, with why.</summary>
public sealed record CalendarDayView(DateOnly Date, string? Note)
{
    public static CalendarDayView From(CalendarDay day) => new(day.Date.ToDateOnly(), day.Note);
}

/// <summary>
/// One country's year as operators see and edit it. <see cref="Version"/> is the ETag: 0 while the year was
/// never stored (shipped, library or weekdays), one more per edit or import.
/// </summary>
/// <remarks>
/// <see cref="DaysOff"/>: the days off (holidays, days off moved onto a weekday), ascending; <see cref="WorkingDays"/>:
/// the weekend days that are working days, ascending; <see cref="Origin"/>: <c>shipped</c>, <c>edited</c>,
/// <c>imported</c>, <c>library</c> or <c>weekdays</c>.
/// </remarks>
public sealed record CalendarYearView(
    string Country,
    int Year,
    string Source,
    IReadOnlyList<CalendarDayView> DaysOff,
    IReadOnlyList<CalendarDayView> WorkingDays,
    string Origin,
    int Version,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy)
{
    public const string Shipped = "shipped";
    public const string Edited = CalendarYearRecord.Edited;
    public const string Imported = CalendarYearRecord.Imported;
    public const string Library = "library";
    public const string Weekdays = "weekdays";

    /// <summary>A stored (edited or imported) year.</summary>
    public static CalendarYearView From(CalendarYearRecord row)
    {
        var calendar = row.ToCalendar();
        return new(row.Country, row.Year, row.Source, Days(calendar.DaysOff), Days(calendar.WorkingDays), row.Origin, row.Version, row.UpdatedAt, row.UpdatedBy);
    }

    /// <summary>A year from data never stored: shipped with the service.</summary>
    public static CalendarYearView Of(CountryCalendar calendar, string origin) =>
        new(calendar.Country, calendar.Year, calendar.Source, Days(calendar.DaysOff), Days(calendar.WorkingDays), origin, 0, null, null);

    internal static IReadOnlyList<CalendarDayView> Days(IEnumerable<CalendarDay> days) =>
        [.. days.OrderBy(d => d.Date).Select(CalendarDayView.From)];
}

/// <summary>The API's PUT body, and the console form's content: a year's source and days, dates as <c>yyyy-MM-dd</c>.</summary>
public sealed record CalendarYearBody(string? Source, IReadOnlyList<CalendarDayBody>? DaysOff, IReadOnlyList<CalendarDayBody>? WorkingDays);

/// <summary>One day of a <see cref="CalendarYearBody"/>: <c>{"date": "2027-01-11", "note": "day off moved from Saturday 2 January"}</c>.</summary>
public sealed record CalendarDayBody(string? Date, string? Note);

/// <summary>A country letters were planned for with no calendar (Monday to Friday used), for the attention page.</summary>
public sealed record UnknownCountryView(string Country, int PendingLetters);

/// <summary>The outcome of a calendar edit or import: the saved year and how many pending letters moved, or why not.</summary>
public abstract record CalendarResult
{
    /// <summary>The year saved; <see cref="Replanned"/>: the pending letters moved to the new calendar's moment.</summary>
    public sealed record Done(CalendarYearView Year, int Replanned) : CalendarResult;

    public sealed record Forbidden(string Message) : CalendarResult;

    /// <summary>The year breaks its rules; keys <c>source</c>, <c>daysOff[2]</c>, <c>workingDays</c>, <c>country</c>, <c>year</c>, <c>file</c>.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : CalendarResult
    {
        /// <summary>The English messages by key, as the API's validation problem lists them.</summary>
        public IReadOnlyDictionary<string, string[]> ByKey => FieldError.ByKey(Errors);
    }

    /// <summary>The expected version is not the stored one (<see cref="ActualVersion"/>).</summary>
    public sealed record Stale(int ActualVersion, string Message) : CalendarResult;

    /// <summary>The change and its audit record could not commit together; nothing changed.</summary>
    public sealed record NotSaved(string Message) : CalendarResult;
}

/// <summary>The rules of a country code and a year, as the API's path and the import's file give them.</summary>
public static class CalendarKeys
{
    public const int FirstYear = 1900;
    public const int LastYear = 2200;

    /// <summary>The code in lowercase when it is three ASCII letters (case and spaces forgiven), else null.</summary>
    public static string? Country(string? text)
    {
        var code = text?.Trim().ToLowerInvariant();
        return code is { Length: 3 } && code.All(char.IsAsciiLetterLower) ? code : null;
    }

    public static bool IsYear(int year) => year is >= FirstYear and <= LastYear;
}
