using CorpNotifier.Calendars;
using CorpNotifier.Clients;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>
/// The business calendars as operators read them, for the admin API and the console alike: every country
/// with a calendar (data or the PublicHoliday package) and every country with pending letters and none, and
/// each year as it is in force (edited or imported, shipped, the package's, or Monday to Friday).
/// </summary>
public sealed class CalendarQueries(NoticesDbContext db, BusinessCalendars calendars, NoticeCatalog catalog, TimeProvider time)
{
    /// <summary>Data and package countries, plus the countries without a calendar that have pending letters; by code.</summary>
    public async Task<IReadOnlyList<CalendarCountryView>> CountriesAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingByCountryAsync(cancellationToken);
        var edited = (await db.CalendarYears.AsNoTracking().Select(c => new { c.Country, c.Year }).ToListAsync(cancellationToken))
            .ToLookup(c => c.Country, c => c.Year, StringComparer.Ordinal);
        var codes = calendars.DataCountries
            .Concat(BusinessCalendars.PackageCountries)
            .Concat(edited.Select(g => g.Key))
            .Concat(pending.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var year = time.GetUtcNow().Year;
        var views = new List<CalendarCountryView>();
        foreach (var code in codes)
        {
            var calendar = calendars.Peek(code);
            var years = calendar.DataYears;
            var kind = years.Count > 0 ? CalendarCountryView.Data
                : calendar.HasPackage ? CalendarCountryView.Library
                : CalendarCountryView.Weekdays;
            var source = years.Count > 0 ? calendar.DataFor(years[^1])!.Source
                : calendar.HasPackage ? calendar.SourceFor(year)
                : null;
            IReadOnlyList<int> missing = years.Count > 0 ? [.. new[] { year, year + 1 }.Where(y => !calendar.Covers(y))] : [];
            views.Add(new CalendarCountryView(
                code,
                kind,
                source,
                years,
                [.. edited[code].Order()],
                missing,
                pending.GetValueOrDefault(code)));
        }

        return views;
    }

    /// <summary>One country's year as in force; null when the code is not three letters or the year out of range.</summary>
    public async Task<CalendarYearView?> YearAsync(string country, int year, CancellationToken cancellationToken)
    {
        if (CalendarKeys.Country(country) is not { } code || !CalendarKeys.IsYear(year))
        {
            return null;
        }

        var stored = await db.CalendarYears.AsNoTracking().FirstOrDefaultAsync(c => c.Country == code && c.Year == year, cancellationToken);
        return stored is not null ? CalendarYearView.From(stored) : InForce(calendars, code, year);
    }

    /// <summary>Countries of pending letters that no calendar covers (Monday to Friday is used), most letters first.</summary>
    public async Task<IReadOnlyList<UnknownCountryView>> UnknownCountriesAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingByCountryAsync(cancellationToken);
        return
        [
            .. pending
                .Where(p => !calendars.Peek(p.Key).IsKnown)
                .OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new UnknownCountryView(p.Key, p.Value)),
        ];
    }

    /// <summary>The year as the instance's calendars have it, never stored (version 0): shipped, the package's, or Monday to Friday.</summary>
    internal static CalendarYearView InForce(BusinessCalendars calendars, string code, int year)
    {
        var calendar = calendars.Peek(code);
        if (calendar.DataFor(year) is { } data)
        {
            return CalendarYearView.Of(data, CalendarYearView.Shipped);
        }

        if (calendar.HasPackage)
        {
            return new CalendarYearView(code, year, calendar.SourceFor(year), CalendarYearView.Days(calendar.PackageDaysOff(year)), [], CalendarYearView.Library, 0, null, null);
        }

        return new CalendarYearView(code, year, calendar.SourceFor(year), [], [], CalendarYearView.Weekdays, 0, null, null);
    }

    /// <summary>
    /// Pending client letters per country: the letter's own country, else (a letter stored before letters kept
    /// it) its client's as the local directory has it, as the letters list's country filter finds them. Client
    /// letters only: a staff or manager letter's country names its extra recipients; its time is the staff's.
    /// </summary>
    private async Task<Dictionary<string, int>> PendingByCountryAsync(CancellationToken cancellationToken)
    {
        var clientKinds = catalog.Rules.Where(r => r.Audience == Audience.Client).Select(r => r.Kind).ToList();
        var counts = await (
                from n in db.Notices.AsNoTracking()
                where n.Status == NoticeStatus.Pending && clientKinds.Contains(n.Kind)
                join c in db.Clients.AsNoTracking() on n.ClientId equals c.ClientId into clients
                from c in clients.DefaultIfEmpty()
                group n by n.Country ?? c!.Country into g
                select new { Country = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return counts
            .Where(p => !string.IsNullOrWhiteSpace(p.Country))
            .GroupBy(p => p.Country!.Trim().ToLowerInvariant(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Count), StringComparer.Ordinal);
    }
}
