using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using CorpNotifier.Clients;
using CorpNotifier.Notices;
using CorpNotifier.Rules;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CorpNotifier.Calendars;

/// <summary>Section <c>SendWindows</c>: where the staff are, and the switch for every kind's window.</summary>
public sealed class SendWindowsOptions : IValidatableObject
{
    /// <summary>False: every letter goes when it is due, whatever its kind's window (a test bench, or draining a backlog on purpose).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The zone staff and managers' letters are timed in (IANA).</summary>
    [Required]
    public string StaffTimeZone { get; set; } = "Europe/Moscow";

    /// <summary>The country whose business calendar staff and managers' letters follow (ISO 3166 alpha-3, lowercase).</summary>
    [Required]
    public string StaffCountry { get; set; } = "rus";

    /// <summary>
    /// How often an instance checks <c>calendar_years</c> for a year edited or imported on another instance
    /// (one aggregate row per check); the instance that saves applies it at once.
    /// </summary>
    public TimeSpan CalendarRefresh { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CalendarRefresh <= TimeSpan.Zero || CalendarRefresh > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"'{CalendarRefresh}' must be more than zero and at most an hour, e.g. 00:00:05", [nameof(CalendarRefresh)]);
        }

        if (ClientZones.Find(StaffTimeZone) is null)
        {
            yield return new ValidationResult($"'{StaffTimeZone}' is not a time zone the service knows (IANA, e.g. Europe/Moscow)", [nameof(StaffTimeZone)]);
        }

        if (StaffCountry is not { Length: 3 } || !StaffCountry.All(char.IsAsciiLetterLower))
        {
            yield return new ValidationResult($"'{StaffCountry}' is not a lower-case ISO 3166 alpha-3 code such as rus", [nameof(StaffCountry)]);
        }
    }
}

/// <summary>The moment a letter's delay gives (<see cref="Planned"/>, before any send window) and the moment it is due (<see cref="Due"/>, in its window).</summary>
public readonly record struct PlannedSend(DateTimeOffset Planned, DateTimeOffset Due);

/// <summary>Where a letter's recipient lives in time: the zone its hours are read in, and the calendar its business days come from.</summary>
public sealed record RecipientTime(DateTimeZone Zone, BusinessCalendar Calendar)
{
    public string ZoneId => Zone.Id;
}

/// <summary>
/// When a letter may go out: its delay counted in the recipient's local calendar days, then moved to
/// the next opening of its kind's send window on the recipient's business days. The same answers when
/// a letter is planned (the rules, the simulation, the producers' kit) and when it is taken to be sent.
/// </summary>
public sealed partial class SendTimes(BusinessCalendars calendars, IOptions<SendWindowsOptions> options, ILogger<SendTimes> logger)
{
    private const int WarnedClientsLimit = 10_000;
    private const int WarnedCountriesLimit = 1_000;
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _warnedCountries = new(StringComparer.Ordinal);

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// The recipient's zone and calendar: the client's own zone (else its country's main zone, else
    /// UTC — said once per client) and its country's calendar; the staff's for staff and managers' letters.
    /// </summary>
    public RecipientTime For(Audience audience, ClientProfile? client, string? country)
    {
        if (audience != Audience.Client)
        {
            return new RecipientTime(ClientZones.Find(options.Value.StaffTimeZone) ?? DateTimeZone.Utc, Calendar(options.Value.StaffCountry));
        }

        var home = client?.Country ?? country;
        var (zone, fellBack) = ClientZones.Resolve(client?.TimeZone, home);
        if (fellBack && client is not null && _warned.Count < WarnedClientsLimit && _warned.TryAdd(client.ClientId, 0))
        {
            LogZoneFallback(client.ClientId, client.TimeZone ?? "(none)", zone.Id);
        }

        return new RecipientTime(zone, Calendar(home));
    }

    /// <summary>A country's calendar; one nothing covers is Monday to Friday, said once per country (and instance).</summary>
    private BusinessCalendar Calendar(string? country)
    {
        var calendar = calendars.For(country);
        // A client with no country at all is not a country without a calendar (its zone's fallback is said per client).
        if (!calendar.IsKnown && calendar.Country.Length > 0 && _warnedCountries.Count < WarnedCountriesLimit && _warnedCountries.TryAdd(calendar.Country, 0))
        {
            LogNoCalendar(calendar.Country);
        }

        return calendar;
    }

    /// <summary>
    /// The moment a letter is due: at once without a delay; else the delay counted from
    /// <paramref name="from"/> in local calendar days, never before <paramref name="now"/>; then the
    /// next opening of <paramref name="window"/>.
    /// </summary>
    public DateTimeOffset Due(DateTimeOffset now, DateTimeOffset from, TimeSpan delay, SendWindowSettings window, RecipientTime recipient) =>
        Plan(now, from, delay, window, recipient).Due;

    /// <summary>
    /// <see cref="Due"/> with the moment before the window: the delay counted in local calendar days, never
    /// before <paramref name="now"/>. A letter keeps it, so a calendar edit can plan it again
    /// (<see cref="Opening"/> of it under the new calendar).
    /// </summary>
    public PlannedSend Plan(DateTimeOffset now, DateTimeOffset from, TimeSpan delay, SendWindowSettings window, RecipientTime recipient)
    {
        var at = delay <= TimeSpan.Zero
            ? now
            : LocalSchedule.AddDelay(Instant.FromDateTimeOffset(from), recipient.Zone, delay).ToDateTimeOffset();
        var planned = at < now ? now : at;
        return new PlannedSend(planned, Opening(planned, window, recipient));
    }

    /// <summary><paramref name="at"/> when the window is open then (or off), else its next opening.</summary>
    public DateTimeOffset Opening(DateTimeOffset at, SendWindowSettings window, RecipientTime recipient)
    {
        if (!window.IsOn || !Enabled)
        {
            return at;
        }

        return LocalSchedule.NextOpening(Instant.FromDateTimeOffset(at), recipient.Zone, ToWindow(window), recipient.Calendar).ToDateTimeOffset();
    }

    /// <summary>The moment as the recipient reads it: <c>09:00 Europe/Moscow</c>, with the date when it is not <paramref name="now"/>'s local day.</summary>
    public static string Local(DateTimeOffset at, RecipientTime recipient, DateTimeOffset? now = null)
    {
        var local = Instant.FromDateTimeOffset(at).InZone(recipient.Zone).LocalDateTime;
        var sameDay = now is { } n && Instant.FromDateTimeOffset(n).InZone(recipient.Zone).Date == local.Date;
        var text = sameDay
            ? local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return $"{text} {recipient.ZoneId}";
    }

    public static SendWindow ToWindow(SendWindowSettings window) =>
        new(LocalTime.FromTimeOnly(window.Start), LocalTime.FromTimeOnly(window.End), window.Days == WindowDays.AnyDay ? SendDays.AnyDay : SendDays.BusinessDays);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Country {Country} has no business calendar: its letters are planned on Monday to Friday (said once per country and instance; an admin may add its calendar: PUT /api/v1/calendars)")]
    private partial void LogNoCalendar(string country);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId}: time zone {TimeZone} is missing or unknown; its letters are timed in {Zone} (said once per client)")]
    private partial void LogZoneFallback(string clientId, string timeZone, string zone);
}
