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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
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
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.Ordinal);

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// The recipient's zone and calendar: the client's own zone (else its country's main zone, else
    /// UTC — said once per client) and its country's calendar; the staff's for staff and managers' letters.
    /// </summary>
    public RecipientTime For(Audience audience, ClientProfile? client, string? country)
    {
        if (audience != Audience.Client)
        {
            return new RecipientTime(ClientZones.Find(options.Value.StaffTimeZone) ?? DateTimeZone.Utc, calendars.For(options.Value.StaffCountry));
        }

        var home = client?.Country ?? country;
        var (zone, fellBack) = ClientZones.Resolve(client?.TimeZone, home);
        if (fellBack && client is not null && _warned.Count < WarnedClientsLimit && _warned.TryAdd(client.ClientId, 0))
        {
            LogZoneFallback(client.ClientId, client.TimeZone ?? "(none)", zone.Id);
        }

        return new RecipientTime(zone, calendars.For(home));
    }

    /// <summary>
    /// The moment a letter is due: at once without a delay; else the delay counted from
    /// <paramref name="from"/> in local calendar days, never before <paramref name="now"/>; then the
    /// next opening of <paramref name="window"/>.
    /// </summary>
    public DateTimeOffset Due(DateTimeOffset now, DateTimeOffset from, TimeSpan delay, SendWindowSettings window, RecipientTime recipient)
    {
        var at = delay <= TimeSpan.Zero
            ? now
            : LocalSchedule.AddDelay(Instant.FromDateTimeOffset(from), recipient.Zone, delay).ToDateTimeOffset();
        return Opening(at < now ? now : at, window, recipient);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId}: time zone {TimeZone} is missing or unknown; its letters are timed in {Zone} (said once per client)")]
    private partial void LogZoneFallback(string clientId, string timeZone, string zone);
}
