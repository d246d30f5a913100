using System.Text.Json;
using NodaTime.Text;

namespace CorpNotifier.Calendars;

/// <summary>
/// One country's year as an admin edited or imported it (table <c>calendar_years</c>): it overrides the
/// shipped data (or the PublicHoliday package's holidays) for that year on every instance.
/// </summary>
public sealed class CalendarYearRecord
{
    public const string Edited = "edited";
    public const string Imported = "imported";

    /// <summary>Lowercase ISO 3166 alpha-3 code.</summary>
    public required string Country { get; set; }

    public int Year { get; set; }

    /// <summary>Where the facts come from (the law, the decree's number and date).</summary>
    public required string Source { get; set; }

    /// <summary>JSON: <c>[{"date": "2027-01-11", "note": "…"}]</c>, the days off.</summary>
    public required string DaysOff { get; set; }

    /// <summary>JSON, as <see cref="DaysOff"/>: the weekend days that are working days.</summary>
    public required string WorkingDays { get; set; }

    /// <summary>1 when first stored, one more per edit or import; the ETag.</summary>
    public int Version { get; set; }

    /// <summary><see cref="Edited"/> or <see cref="Imported"/>: how the last change came.</summary>
    public required string Origin { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }

    /// <summary>The stored year as a calendar.</summary>
    public CountryCalendar ToCalendar() => new(Country, Year, ReadDays(DaysOff), ReadDays(WorkingDays), Source);

    /// <summary>Days as the JSON columns keep them.</summary>
    public static string WriteDays(IEnumerable<CalendarDay> days) =>
        JsonSerializer.Serialize(days.OrderBy(d => d.Date).Select(d => new StoredDay(LocalDatePattern.Iso.Format(d.Date), d.Note)), Json);

    private static List<CalendarDay> ReadDays(string json) =>
        [.. (JsonSerializer.Deserialize<List<StoredDay>>(json, Json) ?? []).Select(d => new CalendarDay(LocalDatePattern.Iso.Parse(d.Date).Value, d.Note))];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record StoredDay(string Date, string? Note);
}
