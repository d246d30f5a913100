using System.Collections.Frozen;
using NodaTime;
using NodaTime.TimeZones;

namespace CorpNotifier.Calendars;

/// <summary>
/// The time zone a client's letters are timed in: the IANA zone from its directory record (tzdb as shipped in
/// NodaTime; a Windows zone name is mapped to its IANA zone), else its country's main zone, else UTC.
/// </summary>
public static class ClientZones
{
    /// <summary>The main zone of the countries the service's clients are in, by lowercase ISO 3166 alpha-3 code.</summary>
    public static readonly FrozenDictionary<string, string> CountryMainZones = new Dictionary<string, string>
    {
        ["rus"] = "Europe/Moscow",
        ["kaz"] = "Asia/Almaty",
        ["blr"] = "Europe/Minsk",
        ["uzb"] = "Asia/Tashkent",
        ["kgz"] = "Asia/Bishkek",
        ["tjk"] = "Asia/Dushanbe",
        ["tkm"] = "Asia/Ashgabat",
        ["arm"] = "Asia/Yerevan",
        ["geo"] = "Asia/Tbilisi",
        ["aze"] = "Asia/Baku",
        ["mda"] = "Europe/Chisinau",
        ["ukr"] = "Europe/Kyiv",
        ["mng"] = "Asia/Ulaanbaatar",
        ["chn"] = "Asia/Shanghai",
        ["tur"] = "Europe/Istanbul",
        ["are"] = "Asia/Dubai",
        ["ind"] = "Asia/Kolkata",
        ["deu"] = "Europe/Berlin",
        ["fra"] = "Europe/Paris",
        ["ita"] = "Europe/Rome",
        ["esp"] = "Europe/Madrid",
        ["nld"] = "Europe/Amsterdam",
        ["pol"] = "Europe/Warsaw",
        ["fin"] = "Europe/Helsinki",
        ["est"] = "Europe/Tallinn",
        ["lva"] = "Europe/Riga",
        ["ltu"] = "Europe/Vilnius",
        ["cze"] = "Europe/Prague",
        ["srb"] = "Europe/Belgrade",
        ["gbr"] = "Europe/London",
        ["usa"] = "America/New_York",
        ["can"] = "America/Toronto",
        ["bra"] = "America/Sao_Paulo",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The zone to time a client's letters in. <c>FellBack</c> is true when the client's own zone was missing or
    /// unknown and its country's zone (or UTC) was used instead: a fact to warn about once per client.
    /// </summary>
    public static (DateTimeZone Zone, bool FellBack) Resolve(string? timeZoneId, string? country)
    {
        if (Find(timeZoneId) is { } zone)
        {
            return (zone, false);
        }

        var code = country?.Trim().ToLowerInvariant();
        return code is not null && CountryMainZones.TryGetValue(code, out var main)
            ? (DateTimeZoneProviders.Tzdb[main], true)
            : (DateTimeZone.Utc, true);
    }

    /// <summary>The IANA zone of that name (or of that Windows zone name), or null when tzdb does not know it.</summary>
    public static DateTimeZone? Find(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return null;
        }

        var id = timeZoneId.Trim();
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone)
        {
            return zone;
        }

        var windows = TzdbDateTimeZoneSource.Default.WindowsMapping.PrimaryMapping;
        return windows.TryGetValue(id, out var iana) ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana) : null;
    }
}
