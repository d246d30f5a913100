using NodaTime;
using NodaTime.TimeZones;

namespace CorpNotifier.Calendars;

/// <summary>
/// The arithmetic of local time the send windows rest on: delays counted in the recipient's calendar days,
/// and the next moment a window is open. Pure: the same answers for the service, the simulation and the test kit.
/// </summary>
public static class LocalSchedule
{
    /// <summary>How far <see cref="NextOpening"/> looks for an allowed day before it gives up.</summary>
    public const int MaxSearchDays = 400;

    /// <summary>
    /// <paramref name="from"/> plus <paramref name="delay"/>, where the delay's whole days are local calendar
    /// days at the same local time (three days across a DST change is still the same wall-clock time) and the
    /// rest is elapsed time. A local time that falls in a DST gap moves forward by the gap; one that occurs
    /// twice takes the earlier.
    /// </summary>
    public static Instant AddDelay(Instant from, DateTimeZone zone, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var days = delay.Days;
        var rest = delay - TimeSpan.FromDays(days);
        var local = from.InZone(zone).LocalDateTime.PlusDays(days);
        return zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant().Plus(Duration.FromTimeSpan(rest));
    }

    /// <summary>Whether a letter may go out at that moment: inside the window's hours on an allowed day.</summary>
    public static bool IsInside(Instant at, DateTimeZone zone, SendWindow window, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(calendar);
        var local = at.InZone(zone).LocalDateTime;
        return window.Contains(local.TimeOfDay) && IsAllowed(local.Date, window, calendar);
    }

    /// <summary>
    /// <paramref name="at"/> itself when it is inside the window on an allowed day, else the window's start on
    /// the next allowed day (any day with <see cref="SendDays.AnyDay"/>, a business day of the calendar
    /// otherwise). Throws when no allowed day comes within <see cref="MaxSearchDays"/> days: a calendar with no
    /// business day for over a year is broken, not a reason to wait.
    /// </summary>
    public static Instant NextOpening(Instant at, DateTimeZone zone, SendWindow window, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(calendar);
        var local = at.InZone(zone).LocalDateTime;
        var date = local.Date;
        if (IsAllowed(date, window, calendar))
        {
            if (window.Contains(local.TimeOfDay))
            {
                return at;
            }

            if (local.TimeOfDay < window.Start)
            {
                return Opening(date, zone, window, at);
            }
        }

        for (var i = 1; i <= MaxSearchDays; i++)
        {
            var day = date.PlusDays(i);
            if (IsAllowed(day, window, calendar))
            {
                return Opening(day, zone, window, at);
            }
        }

        throw new InvalidOperationException(
            $"No {(window.Days == SendDays.BusinessDays ? "business day" : "day")} in the {MaxSearchDays} days after {date:yyyy-MM-dd} "
            + $"in the calendar of '{calendar.Country}' ({calendar.Source}).");
    }

    private static bool IsAllowed(LocalDate date, SendWindow window, BusinessCalendar calendar) =>
        window.Days == SendDays.AnyDay || calendar.IsBusinessDay(date);

    // The window's start that day; a start inside a DST gap opens when the clocks reach it, never before `at`.
    private static Instant Opening(LocalDate date, DateTimeZone zone, SendWindow window, Instant at)
    {
        var opening = zone.ResolveLocal(date + window.Start, Resolvers.LenientResolver).ToInstant();
        return opening < at ? at : opening;
    }
}
