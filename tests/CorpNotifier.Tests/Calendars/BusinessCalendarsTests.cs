using CorpNotifier.Calendars;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CorpNotifier.Tests.Calendars;

/// <summary>
/// The business calendars: the shipped production calendars (Russia, Belarus), the PublicHoliday package's
/// countries, Monday to Friday for any other, and an edit put in place at run time only when it is valid.
/// </summary>
public sealed class BusinessCalendarsTests
{
    private static readonly BusinessCalendars Shipped = new(TimeProvider.System);

    [Theory]
    [InlineData("2026-01-09")] // Friday, the day off moved from Saturday 3 January (Decree No. 1466)
    [InlineData("2026-12-31")] // Thursday, the day off moved from Sunday 4 January (Decree No. 1466)
    [InlineData("2026-03-09")] // Monday, the day off moved from Sunday 8 March (Labour Code, Art. 112)
    [InlineData("2026-05-11")] // Monday, the day off moved from Saturday 9 May
    [InlineData("2026-01-05")] // Monday of the New Year holidays
    [InlineData("2027-01-08")] // Friday of the New Year holidays
    [InlineData("2027-05-03")] // Monday, the day off moved from Saturday 1 May
    [InlineData("2027-06-14")] // Monday, the day off moved from Saturday 12 June
    public void Russia_s_days_off_are_not_business_days(string date) =>
        Shipped.For("rus").IsBusinessDay(Date(date)).ShouldBeFalse();

    [Theory]
    [InlineData("2026-01-12")]
    [InlineData("2026-11-05")]
    [InlineData("2027-01-11")]
    public void Russia_s_ordinary_weekdays_are_business_days(string date) =>
        Shipped.For("rus").IsBusinessDay(Date(date)).ShouldBeTrue();

    [Theory]
    [InlineData("rus", 247)] // the production calendar for 2026: 247 working days in a five-day week
    [InlineData("kaz", 247)] // 261 weekdays less the 15 days off on weekdays the published calendar counted, less 31 August (no longer a holiday)
    public void The_shipped_2026_calendars_count_the_working_days_the_published_ones_do(string country, int workingDays)
    {
        var calendar = Shipped.For(country);

        Enumerable.Range(0, 365).Select(i => new LocalDate(2026, 1, 1).PlusDays(i)).Count(calendar.IsBusinessDay).ShouldBe(workingDays);
    }

    [Fact]
    public void Belarus_works_Saturday_25_April_2026_and_rests_on_Monday_20_April()
    {
        var belarus = Shipped.For("blr");

        belarus.IsBusinessDay(Date("2026-04-25")).ShouldBeTrue();
        belarus.IsBusinessDay(Date("2026-04-20")).ShouldBeFalse();
        belarus.IsBusinessDay(Date("2026-04-21")).ShouldBeFalse(); // Radunitsa
        belarus.IsBusinessDay(Date("2026-04-18")).ShouldBeFalse(); // an ordinary Saturday
    }

    [Fact]
    public void A_container_builds_the_calendars_with_the_shipped_data()
    {
        using var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<BusinessCalendars>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        services.GetRequiredService<BusinessCalendars>().DataCountries.ShouldBe(["blr", "kaz", "rus"]);
    }

    [Fact]
    public void Every_shipped_calendar_is_valid_and_names_its_source()
    {
        var calendars = CountryCalendarFile.Shipped();

        calendars.Select(c => $"{c.Country} {c.Year}").ShouldBe(["blr 2026", "blr 2027", "kaz 2026", "kaz 2027", "rus 2026", "rus 2027"], ignoreOrder: true);
        calendars.ShouldAllBe(c => c.Problems().Count == 0 && c.Source.Length > 0);
        calendars.Single(c => c.Country == "rus" && c.Year == 2026).Source.ShouldContain("No. 1466 of 24 September 2025");
        calendars.Single(c => c.Country == "blr" && c.Year == 2026).Source.ShouldContain("No. 397 of 22 July 2025");
    }

    [Fact]
    public void Russia_s_2027_calendar_says_it_holds_the_Labour_Code_only_until_the_decree_is_in()
    {
        var source = Shipped.For("rus").SourceFor(2027);

        source.ShouldContain("LABOUR CODE ONLY");
        source.ShouldContain("not confirmed");
    }

    [Fact]
    public void A_shipped_country_falls_back_to_Monday_to_Friday_in_a_year_it_has_no_calendar_for_and_says_so()
    {
        var russia = Shipped.For("rus");

        russia.IsKnown.ShouldBeTrue();
        russia.Covers(2026).ShouldBeTrue();
        russia.Covers(2028).ShouldBeFalse();
        russia.IsBusinessDay(Date("2028-01-03")).ShouldBeTrue();
        russia.SourceFor(2028).ShouldContain("Monday to Friday");
    }

    [Fact]
    public void The_years_missing_for_this_year_and_the_next_are_named()
    {
        var calendars = new BusinessCalendars(new FixedClock(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero)));

        calendars.MissingYears().ShouldBe(["blr 2028", "kaz 2028", "rus 2028"]);
    }

    [Theory]
    [InlineData("2025-10-03")] // Day of German Unity, a Friday
    [InlineData("2026-12-25")] // Christmas Day, a Friday
    [InlineData("2026-04-06")] // Easter Monday
    public void Germany_s_public_holidays_come_from_the_package(string date)
    {
        var germany = Shipped.For("deu");

        germany.IsKnown.ShouldBeTrue();
        germany.Covers(2031).ShouldBeTrue();
        germany.Source.ShouldContain("PublicHoliday");
        germany.IsBusinessDay(Date(date)).ShouldBeFalse();
    }

    [Fact]
    public void Germany_s_ordinary_weekdays_are_business_days() =>
        Shipped.For("deu").IsBusinessDay(Date("2025-10-02")).ShouldBeTrue();

    [Fact]
    public void The_United_States_rest_on_Thanksgiving() =>
        Shipped.For("usa").IsBusinessDay(Date("2026-11-26")).ShouldBeFalse();

    [Theory]
    [InlineData("2026-03-23", false)] // Monday, Nauryz
    [InlineData("2026-03-24", false)] // Tuesday, the day off moved from Saturday 21 March
    [InlineData("2026-03-25", false)] // Wednesday, the day off moved from Sunday 22 March
    [InlineData("2026-05-27", false)] // Wednesday, the first day of Kurban Ait
    [InlineData("2026-08-31", true)] // Monday: 30 August is no longer Constitution Day from 2026
    [InlineData("2027-03-15", false)] // Monday, Constitution Day under the Constitution of 2026
    [InlineData("2026-10-26", false)] // Monday, the day off moved from Republic Day on Sunday
    [InlineData("2026-12-01", true)] // no longer a day off since 2022 (the package still has it)
    [InlineData("2026-12-17", true)] // no longer a day off since 2022 (the package still has it)
    [InlineData("2027-01-04", false)] // Monday, the day off moved from Saturday 2 January
    public void Kazakhstan_is_shipped_as_data_not_taken_from_the_package(string date, bool business)
    {
        var kazakhstan = Shipped.For("kaz");

        kazakhstan.Source.ShouldNotContain("PublicHoliday");
        kazakhstan.IsBusinessDay(Date(date)).ShouldBe(business);
    }

    [Fact]
    public void A_country_with_no_calendar_is_Monday_to_Friday_and_not_known()
    {
        var calendars = new BusinessCalendars(TimeProvider.System);
        var uzbekistan = calendars.For("uzb");

        uzbekistan.IsKnown.ShouldBeFalse();
        uzbekistan.Covers(2026).ShouldBeFalse();
        uzbekistan.IsBusinessDay(Date("2026-03-20")).ShouldBeTrue(); // a Friday
        uzbekistan.IsBusinessDay(Date("2026-03-21")).ShouldBeFalse(); // a Saturday
        uzbekistan.Source.ShouldContain("Monday to Friday");
        calendars.UnknownCountries.ShouldBe(["uzb"]);
    }

    [Fact]
    public void A_missing_country_is_Monday_to_Friday_and_not_known() =>
        Shipped.For(null).IsKnown.ShouldBeFalse();

    [Fact]
    public void Country_codes_are_read_without_regard_to_case_or_spaces() =>
        Shipped.For(" RUS ").IsBusinessDay(Date("2026-01-09")).ShouldBeFalse();

    [Fact]
    public void An_edit_with_a_date_outside_its_year_is_rejected_naming_the_field_and_changes_nothing()
    {
        var calendars = new BusinessCalendars(TimeProvider.System);
        var edit = new CountryCalendar("rus", 2026, [new CalendarDay(Date("2026-02-24")), new CalendarDay(Date("2027-01-12"))], [], "an edit");

        var problems = calendars.Replace(edit);

        problems.ShouldHaveSingleItem().ShouldStartWith("daysOff[1]:");
        calendars.For("rus").IsBusinessDay(Date("2026-02-24")).ShouldBeTrue();
        calendars.For("rus").IsBusinessDay(Date("2026-01-09")).ShouldBeFalse();
    }

    [Fact]
    public void An_edit_with_a_day_both_off_and_working_is_rejected_naming_the_field()
    {
        var calendars = new BusinessCalendars(TimeProvider.System);
        var edit = new CountryCalendar("rus", 2026, [new CalendarDay(Date("2026-11-14"))], [new CalendarDay(Date("2026-11-14"))], "an edit");

        calendars.Replace(edit).ShouldHaveSingleItem().ShouldStartWith("workingDays:");
        calendars.For("rus").IsBusinessDay(Date("2026-11-14")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("", "country:")]
    [InlineData("RUS", "country:")]
    public void An_edit_for_a_badly_written_country_is_rejected_naming_the_field(string country, string field) =>
        new BusinessCalendars(TimeProvider.System)
            .Replace(new CountryCalendar(country, 2026, [], [], "an edit"))
            .ShouldHaveSingleItem().ShouldStartWith(field);

    [Fact]
    public void An_edit_without_a_source_is_rejected_naming_the_field() =>
        new BusinessCalendars(TimeProvider.System)
            .Replace(new CountryCalendar("rus", 2026, [], [], " "))
            .ShouldHaveSingleItem().ShouldStartWith("source:");

    [Fact]
    public void A_valid_edit_replaces_that_year_only()
    {
        var calendars = new BusinessCalendars(TimeProvider.System);
        var edit = new CountryCalendar(
            "rus", 2027, [new CalendarDay(Date("2027-11-05"), "draft transfer")], [new CalendarDay(Date("2027-11-13"), "draft transfer")], "an edit");

        calendars.Replace(edit).ShouldBeEmpty();

        var russia = calendars.For("rus");
        russia.IsBusinessDay(Date("2027-11-05")).ShouldBeFalse();
        russia.IsBusinessDay(Date("2027-11-13")).ShouldBeTrue();
        russia.IsBusinessDay(Date("2027-01-05")).ShouldBeTrue(); // the edit is the whole year: what it lacks is not kept
        russia.IsBusinessDay(Date("2026-01-09")).ShouldBeFalse(); // 2026 as shipped
        russia.SourceFor(2027).ShouldBe("an edit");
    }

    [Fact]
    public void An_edit_of_a_package_country_overrides_that_year_and_keeps_the_package_for_the_others()
    {
        var calendars = new BusinessCalendars(TimeProvider.System);

        calendars.Replace(new CountryCalendar("deu", 2026, [], [], "an edit")).ShouldBeEmpty();

        calendars.For("deu").IsBusinessDay(Date("2026-12-25")).ShouldBeTrue();
        calendars.For("deu").IsBusinessDay(Date("2025-10-03")).ShouldBeFalse();
    }

    [Fact]
    public void An_edit_makes_an_unknown_country_known()
    {
        var calendars = new BusinessCalendars(TimeProvider.System);
        calendars.For("uzb").IsKnown.ShouldBeFalse();

        calendars.Replace(new CountryCalendar("uzb", 2026, [new CalendarDay(Date("2026-03-23"), "Navruz")], [], "an edit")).ShouldBeEmpty();

        calendars.For("uzb").IsKnown.ShouldBeTrue();
        calendars.For("uzb").IsBusinessDay(Date("2026-03-23")).ShouldBeFalse();
        calendars.UnknownCountries.ShouldBeEmpty();
    }

    [Fact]
    public void A_calendar_file_reads_back_what_was_written()
    {
        var calendar = Shipped.For("blr").DataFor(2026)!;

        var (read, problems) = CountryCalendarFile.Parse(CountryCalendarFile.Write(calendar));

        problems.ShouldBeEmpty();
        read!.DaysOff.ShouldBe(calendar.DaysOff);
        read.WorkingDays.ShouldBe(calendar.WorkingDays);
        read.Source.ShouldBe(calendar.Source);
    }

    [Fact]
    public void A_calendar_file_with_a_date_that_is_not_one_is_rejected_naming_the_field()
    {
        var (calendar, problems) = CountryCalendarFile.Parse(
            """{ "country": "rus", "year": 2026, "source": "a file", "daysOff": [ { "date": "2026-02-30" } ], "workingDays": [] }""");

        calendar.ShouldBeNull();
        problems.ShouldHaveSingleItem().ShouldStartWith("daysOff[0].date:");
    }

    [Fact]
    public void A_file_that_is_not_json_is_rejected() =>
        CountryCalendarFile.Parse("not json").Problems.ShouldNotBeEmpty();

    private static LocalDate Date(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).Value;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
