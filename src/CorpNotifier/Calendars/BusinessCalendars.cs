using System.Collections.Concurrent;
using System.Collections.Frozen;
using PublicHoliday;

namespace CorpNotifier.Calendars;

/// <summary>
/// The business calendars of every country, one instance for the service: the calendars shipped as data
/// (Russia, Belarus, Kazakhstan: <c>Calendars/Data/</c>), the countries the PublicHoliday package covers, and Monday to
/// Friday for any other country. An edited or imported year is put in place with <see cref="Replace"/>.
/// </summary>
public sealed class BusinessCalendars
{
    /// <summary>
    /// The alpha-3 codes the service uses, mapped to the PublicHoliday package's countries. Kazakhstan is left
    /// out on purpose: the package's Kazakhstan still rests on 1 and 17 December (days off no more since 2022)
    /// and lacks the weekend transfers and Kurban Ait, so it is shipped as data (<c>Data/kaz-*.json</c>).
    /// </summary>
    public static readonly FrozenDictionary<string, PublicHolidayCountryCode> LibraryCountries =
        new Dictionary<string, PublicHolidayCountryCode>
        {
            ["aus"] = PublicHolidayCountryCode.Au,
            ["aut"] = PublicHolidayCountryCode.At,
            ["bel"] = PublicHolidayCountryCode.Be,
            ["bra"] = PublicHolidayCountryCode.Br,
            ["can"] = PublicHolidayCountryCode.Ca,
            ["che"] = PublicHolidayCountryCode.Ch,
            ["cze"] = PublicHolidayCountryCode.Cz,
            ["deu"] = PublicHolidayCountryCode.De,
            ["dnk"] = PublicHolidayCountryCode.Dk,
            ["esp"] = PublicHolidayCountryCode.Es,
            ["est"] = PublicHolidayCountryCode.Ee,
            ["fin"] = PublicHolidayCountryCode.Fi,
            ["fra"] = PublicHolidayCountryCode.Fr,
            ["gbr"] = PublicHolidayCountryCode.Gb,
            ["grc"] = PublicHolidayCountryCode.Gr,
            ["hrv"] = PublicHolidayCountryCode.Hr,
            ["hun"] = PublicHolidayCountryCode.Hu,
            ["irl"] = PublicHolidayCountryCode.Ie,
            ["ita"] = PublicHolidayCountryCode.It,
            ["jpn"] = PublicHolidayCountryCode.Jp,
            ["ltu"] = PublicHolidayCountryCode.Lt,
            ["lux"] = PublicHolidayCountryCode.Lu,
            ["lva"] = PublicHolidayCountryCode.Lv,
            ["mex"] = PublicHolidayCountryCode.Mx,
            ["mne"] = PublicHolidayCountryCode.Me,
            ["nld"] = PublicHolidayCountryCode.Nl,
            ["nor"] = PublicHolidayCountryCode.No,
            ["nzl"] = PublicHolidayCountryCode.Nz,
            ["pol"] = PublicHolidayCountryCode.Pl,
            ["prt"] = PublicHolidayCountryCode.Pt,
            ["rou"] = PublicHolidayCountryCode.Ro,
            ["srb"] = PublicHolidayCountryCode.Rs,
            ["svk"] = PublicHolidayCountryCode.Sk,
            ["svn"] = PublicHolidayCountryCode.Si,
            ["swe"] = PublicHolidayCountryCode.Se,
            ["tur"] = PublicHolidayCountryCode.Tr,
            ["usa"] = PublicHolidayCountryCode.Us,
            ["zaf"] = PublicHolidayCountryCode.Za,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string LibrarySource = "the PublicHoliday 4.0.0 package's national public holidays, Monday to Friday otherwise";

    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, BusinessCalendar> calendars = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> unknownAsked = new(StringComparer.Ordinal);
    private readonly Lock replacing = new();

    /// <summary>The calendars shipped with the service (<see cref="CountryCalendarFile.Shipped"/>).</summary>
    public BusinessCalendars(TimeProvider time)
        : this(time, CountryCalendarFile.Shipped())
    {
    }

    // One public constructor on purpose: a container resolves IEnumerable<T> to an empty list, so a public
    // constructor taking the data would be chosen over the shipped calendars.
    private BusinessCalendars(TimeProvider time, IEnumerable<CountryCalendar> data)
    {
        this.time = time;
        foreach (var country in data.GroupBy(c => c.Country, StringComparer.Ordinal))
        {
            var problems = country.SelectMany(c => c.Problems()).ToList();
            if (problems.Count > 0)
            {
                throw new ArgumentException($"The calendar of {country.Key} is invalid: {string.Join(" ", problems)}", nameof(data));
            }

            var byYear = country.GroupBy(c => c.Year).Select(g => g.Last());
            calendars[country.Key] = BusinessCalendar.FromData(country.Key, byYear, Library(country.Key), LibrarySourceOf(country.Key));
        }
    }

    /// <summary>
    /// These calendars as data instead of the shipped ones (each country's years; a later year of the same
    /// country and year wins), then the package's countries. Throws when one of them is invalid.
    /// </summary>
    public static BusinessCalendars FromData(TimeProvider time, IEnumerable<CountryCalendar> data) => new(time, data);

    /// <summary>
    /// The calendar of a country (lowercase ISO 3166 alpha-3; case and spaces are forgiven). A country nothing
    /// covers, or none, is Monday to Friday with <see cref="BusinessCalendar.IsKnown"/> false, and is remembered
    /// in <see cref="UnknownCountries"/>.
    /// </summary>
    public BusinessCalendar For(string? country)
    {
        var code = Normalize(country);
        var calendar = calendars.GetOrAdd(code, static c =>
            Library(c) is { } library ? BusinessCalendar.FromData(c, [], library, LibrarySource) : BusinessCalendar.MondayToFriday(c));
        if (!calendar.IsKnown)
        {
            unknownAsked.TryAdd(code, 0);
        }

        return calendar;
    }

    /// <summary>
    /// The calendar of a country as <see cref="For"/> gives it, without remembering a country nothing covers
    /// (for pages that list calendars, not for planning letters).
    /// </summary>
    public BusinessCalendar Peek(string? country)
    {
        var code = Normalize(country);
        return calendars.TryGetValue(code, out var calendar) ? calendar
            : Library(code) is { } library ? BusinessCalendar.FromData(code, [], library, LibrarySource)
            : BusinessCalendar.MondayToFriday(code);
    }

    /// <summary>The countries the PublicHoliday package covers, by their alpha-3 codes.</summary>
    public static IReadOnlyCollection<string> PackageCountries => LibraryCountries.Keys;

    /// <summary>The countries asked for that no calendar covers (Monday to Friday was used), for the attention page.</summary>
    public IReadOnlyCollection<string> UnknownCountries => [.. unknownAsked.Keys.Order()];

    /// <summary>The countries with calendar data (shipped, imported or edited).</summary>
    public IReadOnlyCollection<string> DataCountries =>
        [.. calendars.Where(c => c.Value.DataYears.Count > 0).Select(c => c.Key).Order()];

    /// <summary>
    /// Puts one country's year in place of what was there (shipped data, an earlier edit, or the package's
    /// holidays for that year). Nothing changes when the calendar has problems: they are returned, each naming
    /// its field. Stored nowhere: the caller keeps edits and gives them back at start.
    /// </summary>
    public IReadOnlyList<string> Replace(CountryCalendar data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var problems = data.Problems();
        if (problems.Count > 0)
        {
            return problems;
        }

        lock (replacing)
        {
            var current = For(data.Country);
            var years = current.Data.Where(c => c.Year != data.Year).Append(data);
            calendars[data.Country] = BusinessCalendar.FromData(data.Country, years, current.Library, current.LibrarySource);
            unknownAsked.TryRemove(data.Country, out _);
        }

        return [];
    }

    /// <summary>
    /// The countries with calendar data that lack this year or the next (their letters are planned Monday to
    /// Friday for that year), e.g. <c>rus 2028</c>: a year to add before it starts.
    /// </summary>
    public IReadOnlyList<string> MissingYears()
    {
        var year = time.GetUtcNow().Year;
        return
        [
            .. calendars.Values
                .Where(c => c.DataYears.Count > 0)
                .SelectMany(c => new[] { year, year + 1 }.Where(y => !c.Covers(y)).Select(y => $"{c.Country} {y}"))
                .Order(StringComparer.Ordinal),
        ];
    }

    private static string Normalize(string? country) => country?.Trim().ToLowerInvariant() ?? "";

    private static IPublicHolidays? Library(string country) =>
        LibraryCountries.TryGetValue(country, out var code) ? PublicHolidayFactory.GetPublicHolidayForCountry(code) : null;

    private static string? LibrarySourceOf(string country) => LibraryCountries.ContainsKey(country) ? LibrarySource : null;
}
