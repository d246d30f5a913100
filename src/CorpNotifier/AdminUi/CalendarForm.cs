using CorpNotifier.Admin;

namespace CorpNotifier.AdminUi;

/// <summary>A problem with the calendar form, for the field it belongs to (a <see cref="CalendarForm"/> property name, or empty for the whole form), in both languages.</summary>
public sealed record CalendarFormError(string Field, string English, string Russian);

/// <summary>
/// A country's year as the console's form edits it: the source, the days off and the working weekend days
/// one line each (<c>yyyy-MM-dd note</c>), why the change is made, and the version the form was shown at.
/// The form only reads its text into the calendar API's body; the rules and their messages are
/// <see cref="CalendarOperations"/>'s, as for the API.
/// </summary>
public sealed class CalendarForm
{
    public string? Source { get; set; }

    /// <summary>Weekdays that are days off, one a line: <c>2026-01-01 New Year</c>.</summary>
    public string? DaysOff { get; set; }

    /// <summary>Saturdays or Sundays that are working days, one a line: <c>2027-11-06 moved to 8 November</c>.</summary>
    public string? WorkingDays { get; set; }

    /// <summary>Why the change is made, for the audit.</summary>
    public string? Reason { get; set; }

    /// <summary>The version of the year the form was shown with (0: never stored): a save applies only on top of it.</summary>
    public int Version { get; set; }

    public static CalendarForm From(CalendarYearView year) => new()
    {
        Source = year.Source,
        DaysOff = Lines(year.DaysOff),
        WorkingDays = Lines(year.WorkingDays),
        Version = year.Version,
    };

    /// <summary>The days as the form writes them: one a line, the date then its note.</summary>
    public static string Lines(IEnumerable<CalendarDayView> days) =>
        string.Join('\n', days.Select(d => string.IsNullOrWhiteSpace(d.Note)
            ? d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : $"{d.Date:yyyy-MM-dd} {d.Note.Trim()}"));

    /// <summary>The form as the API's body; the dates are passed as written, for the operation to check.</summary>
    public CalendarYearBody Body() => new(Source?.Trim(), Days(DaysOff), Days(WorkingDays));

    /// <summary>One day a line, blank lines skipped: the first word is the date, the rest its note.</summary>
    public static IReadOnlyList<CalendarDayBody> Days(string? lines) =>
    [
        .. (lines ?? "").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .Select(line => line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) switch
            {
                [var date] => new CalendarDayBody(date, null),
                [var date, var note] => new CalendarDayBody(date, note),
                _ => new CalendarDayBody(line, null),
            }),
    ];

    /// <summary>The operation's problems, each under the form field its key names (<c>daysOff[2]</c> is line 3 of the days off).</summary>
    public static IReadOnlyList<CalendarFormError> ErrorsFrom(IEnumerable<FieldError> errors) =>
        [.. errors.Select(e => new CalendarFormError(FieldOf(e.Key), Line(e.Key, e.Message, "line"), Line(e.Key, e.Russian, "строка")))];

    private static string FieldOf(string key) =>
        key.StartsWith("daysOff", StringComparison.OrdinalIgnoreCase) ? nameof(DaysOff)
        : key.StartsWith("workingDays", StringComparison.OrdinalIgnoreCase) ? nameof(WorkingDays)
        : key.StartsWith("source", StringComparison.OrdinalIgnoreCase) ? nameof(Source)
        : key.StartsWith("file", StringComparison.OrdinalIgnoreCase) ? "File"
        : "";

    /// <summary>A message for the field's n-th item names its line (1-based), as the person sees the text box.</summary>
    private static string Line(string key, string message, string word)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        var close = key.IndexOf(']', StringComparison.Ordinal);
        return open > 0 && close > open && int.TryParse(key.AsSpan(open + 1, close - open - 1), out var index)
            ? $"{word} {index + 1}: {message}"
            : $"{key}: {message}";
    }
}
