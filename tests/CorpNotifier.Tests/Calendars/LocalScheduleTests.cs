using CorpNotifier.Calendars;
using NodaTime;
using NodaTime.Text;

namespace CorpNotifier.Tests.Calendars;

/// <summary>
/// The arithmetic of send windows in local time: delays in local calendar days across DST changes and a zone
/// that changed its offset, the next opening of a window on business days across Russia's New Year holidays,
/// a transferred day off and a working Saturday.
/// </summary>
public sealed class LocalScheduleTests
{
    private static readonly BusinessCalendars Calendars = new(TimeProvider.System);
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly DateTimeZone Moscow = DateTimeZoneProviders.Tzdb["Europe/Moscow"];
    private static readonly DateTimeZone Almaty = DateTimeZoneProviders.Tzdb["Asia/Almaty"];
    private static readonly DateTimeZone Minsk = DateTimeZoneProviders.Tzdb["Europe/Minsk"];
    private static readonly SendWindow AnyDay = SendWindow.Default with { Days = SendDays.AnyDay };

    [Fact]
    public void Three_days_across_the_spring_change_in_Berlin_keep_ten_o_clock_local()
    {
        // The clocks go forward on Sunday 29 March 2026: 10:00 is 09:00 UTC before, 08:00 UTC after.
        var due = LocalSchedule.AddDelay(At("2026-03-27T10:00", Berlin), Berlin, TimeSpan.FromDays(3));

        Local(due, Berlin).ShouldBe("2026-03-30T10:00");
        due.ShouldBe(Utc("2026-03-30T08:00"));
    }

    [Fact]
    public void Three_days_across_the_autumn_change_in_Berlin_keep_ten_o_clock_local()
    {
        // The clocks go back on Sunday 25 October 2026: 10:00 is 08:00 UTC before, 09:00 UTC after.
        var due = LocalSchedule.AddDelay(At("2026-10-23T10:00", Berlin), Berlin, TimeSpan.FromDays(3));

        Local(due, Berlin).ShouldBe("2026-10-26T10:00");
        due.ShouldBe(Utc("2026-10-26T09:00"));
    }

    [Fact]
    public void The_part_of_a_delay_below_a_day_is_elapsed_time_after_the_local_days()
    {
        var due = LocalSchedule.AddDelay(At("2026-03-28T23:30", Berlin), Berlin, new TimeSpan(1, 3, 0, 0));

        // 29 March 23:30 CEST, then three hours of elapsed time.
        Local(due, Berlin).ShouldBe("2026-03-30T02:30");
    }

    [Fact]
    public void A_local_time_in_the_spring_gap_moves_forward_by_the_gap()
    {
        var due = LocalSchedule.AddDelay(At("2026-03-28T02:30", Berlin), Berlin, TimeSpan.FromDays(1));

        Local(due, Berlin).ShouldBe("2026-03-29T03:30");
        due.ShouldBe(Utc("2026-03-29T01:30"));
    }

    [Fact]
    public void A_local_time_that_occurs_twice_in_autumn_takes_the_earlier()
    {
        var due = LocalSchedule.AddDelay(At("2026-10-24T02:30", Berlin), Berlin, TimeSpan.FromDays(1));

        due.ShouldBe(Utc("2026-10-25T00:30"));
    }

    [Fact]
    public void The_window_opens_at_nine_local_on_the_day_the_clocks_go_forward()
    {
        var opening = LocalSchedule.NextOpening(Utc("2026-03-29T00:30"), Berlin, AnyDay, Calendars.For("deu"));

        opening.ShouldBe(Utc("2026-03-29T07:00"));
    }

    [Fact]
    public void A_window_starting_inside_the_spring_gap_opens_when_the_clocks_reach_it()
    {
        var window = new SendWindow(new LocalTime(2, 30), new LocalTime(6, 0), SendDays.AnyDay);

        var opening = LocalSchedule.NextOpening(Utc("2026-03-28T23:00"), Berlin, window, Calendars.For("deu"));

        Local(opening, Berlin).ShouldBe("2026-03-29T03:30");
    }

    [Fact]
    public void Five_days_across_Almaty_s_move_from_UTC_plus_6_to_plus_5_keep_nine_o_clock_local()
    {
        // tzdb 2024a: Asia/Almaty left UTC+6 for UTC+5 on 1 March 2024.
        var from = At("2024-02-28T09:00", Almaty);
        from.ShouldBe(Utc("2024-02-28T03:00"));

        var due = LocalSchedule.AddDelay(from, Almaty, TimeSpan.FromDays(5));

        Local(due, Almaty).ShouldBe("2024-03-04T09:00");
        due.ShouldBe(Utc("2024-03-04T04:00"));
    }

    [Fact]
    public void A_letter_for_a_client_in_Almaty_opens_at_nine_Almaty_time()
    {
        var opening = LocalSchedule.NextOpening(Utc("2026-02-10T02:00"), Almaty, SendWindow.Default, Calendars.For("kaz"));

        opening.ShouldBe(Utc("2026-02-10T04:00"));
        Local(opening, Almaty).ShouldBe("2026-02-10T09:00");
    }

    [Fact]
    public void A_reminder_due_on_the_evening_of_31_December_2026_waits_for_Russia_s_first_working_day_of_2027()
    {
        // 31 December 2026 is a day off (Decree No. 1466), 1–8 January 2027 are holidays, 9–10 January a weekend.
        var opening = LocalSchedule.NextOpening(At("2026-12-31T20:00", Moscow), Moscow, SendWindow.Default, Calendars.For("rus"));

        Local(opening, Moscow).ShouldBe("2027-01-11T09:00");
        opening.ShouldBe(Utc("2027-01-11T06:00"));
    }

    [Fact]
    public void A_reminder_falling_on_1_January_2027_goes_on_Russia_s_first_working_day_at_nine_Moscow_time()
    {
        var opening = LocalSchedule.NextOpening(At("2027-01-01T10:00", Moscow), Moscow, SendWindow.Default, Calendars.For("rus"));

        Local(opening, Moscow).ShouldBe("2027-01-11T09:00");
    }

    [Fact]
    public void A_letter_on_the_transferred_day_off_waits_for_the_next_business_day()
    {
        // Friday 9 January 2026 is the day off moved from Saturday 3 January.
        var opening = LocalSchedule.NextOpening(At("2026-01-09T11:00", Moscow), Moscow, SendWindow.Default, Calendars.For("rus"));

        Local(opening, Moscow).ShouldBe("2026-01-12T09:00");
    }

    [Fact]
    public void A_working_Saturday_opens_the_window()
    {
        // Belarus works Saturday 25 April 2026 for Monday 20 April (Resolution No. 397).
        var opening = LocalSchedule.NextOpening(At("2026-04-24T19:30", Minsk), Minsk, SendWindow.Default, Calendars.For("blr"));

        Local(opening, Minsk).ShouldBe("2026-04-25T09:00");
        LocalSchedule.IsInside(At("2026-04-25T12:00", Minsk), Minsk, SendWindow.Default, Calendars.For("blr")).ShouldBeTrue();
    }

    [Fact]
    public void A_letter_taken_at_19_05_local_waits_for_the_next_business_morning()
    {
        var at = At("2026-02-10T19:05", Moscow);

        LocalSchedule.IsInside(at, Moscow, SendWindow.Default, Calendars.For("rus")).ShouldBeFalse();
        Local(LocalSchedule.NextOpening(at, Moscow, SendWindow.Default, Calendars.For("rus")), Moscow).ShouldBe("2026-02-11T09:00");
    }

    [Fact]
    public void A_letter_taken_at_19_05_on_a_Friday_waits_for_Monday_morning()
    {
        var opening = LocalSchedule.NextOpening(At("2026-02-13T19:05", Moscow), Moscow, SendWindow.Default, Calendars.For("rus"));

        Local(opening, Moscow).ShouldBe("2026-02-16T09:00");
    }

    [Fact]
    public void A_letter_taken_at_18_59_local_goes_at_once()
    {
        var at = At("2026-02-10T18:59", Moscow);

        LocalSchedule.IsInside(at, Moscow, SendWindow.Default, Calendars.For("rus")).ShouldBeTrue();
        LocalSchedule.NextOpening(at, Moscow, SendWindow.Default, Calendars.For("rus")).ShouldBe(at);
    }

    [Fact]
    public void The_window_s_end_is_exclusive()
    {
        var at = At("2026-02-10T19:00", Moscow);

        LocalSchedule.IsInside(at, Moscow, SendWindow.Default, Calendars.For("rus")).ShouldBeFalse();
    }

    [Fact]
    public void A_letter_before_the_opening_on_a_business_day_waits_until_nine_that_day()
    {
        var opening = LocalSchedule.NextOpening(At("2026-02-10T02:30", Moscow), Moscow, SendWindow.Default, Calendars.For("rus"));

        Local(opening, Moscow).ShouldBe("2026-02-10T09:00");
    }

    [Fact]
    public void Any_day_windows_open_on_a_Sunday()
    {
        var at = At("2026-02-15T11:00", Moscow);

        LocalSchedule.NextOpening(at, Moscow, AnyDay, Calendars.For("rus")).ShouldBe(at);
        Local(LocalSchedule.NextOpening(at, Moscow, SendWindow.Default, Calendars.For("rus")), Moscow).ShouldBe("2026-02-16T09:00");
    }

    [Fact]
    public void Any_day_windows_open_on_a_holiday()
    {
        var opening = LocalSchedule.NextOpening(At("2027-01-01T08:00", Moscow), Moscow, AnyDay, Calendars.For("rus"));

        Local(opening, Moscow).ShouldBe("2027-01-01T09:00");
    }

    [Fact]
    public void A_calendar_with_no_business_day_for_over_a_year_is_an_error_not_a_wait()
    {
        var calendars = BusinessCalendars.FromData(TimeProvider.System, []);
        foreach (var year in new[] { 2026, 2027 })
        {
            var everyDay = Enumerable.Range(0, 365).Select(i => new CalendarDay(new LocalDate(year, 1, 1).PlusDays(i))).ToList();
            calendars.Replace(new CountryCalendar("xxx", year, everyDay, [], "a test")).ShouldBeEmpty();
        }

        Should.Throw<InvalidOperationException>(() =>
            LocalSchedule.NextOpening(Utc("2025-12-31T20:00"), DateTimeZone.Utc, SendWindow.Default, calendars.For("xxx")));
    }

    private static Instant At(string local, DateTimeZone zone) =>
        zone.AtStrictly(LocalDateTimePattern.GeneralIso.Parse(local + ":00").Value).ToInstant();

    private static Instant Utc(string utc) => InstantPattern.General.Parse(utc + ":00Z").Value;

    private static string Local(Instant instant, DateTimeZone zone) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Format(instant.InZone(zone).LocalDateTime);
}
