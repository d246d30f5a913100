using CorpNotifier.Calendars;
using NodaTime;

namespace CorpNotifier.Tests.Calendars;

/// <summary>A send window's checks and the time zone a client's letters are timed in.</summary>
public sealed class SendWindowAndZoneTests
{
    [Fact]
    public void The_default_window_is_nine_to_seven_on_business_days()
    {
        SendWindow.Default.ShouldBe(new SendWindow(new LocalTime(9, 0), new LocalTime(19, 0), SendDays.BusinessDays));
        SendWindow.Default.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_names_its_end() =>
        SendWindow.Problems(new LocalTime(19, 0), new LocalTime(9, 0), SendDays.AnyDay).ShouldHaveSingleItem().ShouldStartWith("end:");

    [Fact]
    public void A_window_that_ends_when_it_starts_names_its_end() =>
        SendWindow.Problems(new LocalTime(9, 0), new LocalTime(9, 0), SendDays.AnyDay).ShouldHaveSingleItem().ShouldStartWith("end:");

    [Fact]
    public void An_unknown_day_kind_names_the_days() =>
        SendWindow.Problems(new LocalTime(9, 0), new LocalTime(19, 0), (SendDays)7).ShouldHaveSingleItem().ShouldStartWith("days:");

    [Fact]
    public void A_client_s_own_zone_is_used_when_tzdb_knows_it()
    {
        var (zone, fellBack) = ClientZones.Resolve("Asia/Almaty", "rus");

        zone.Id.ShouldBe("Asia/Almaty");
        fellBack.ShouldBeFalse();
    }

    [Fact]
    public void A_Windows_zone_name_is_mapped_to_its_IANA_zone()
    {
        var (zone, fellBack) = ClientZones.Resolve("Russian Standard Time", null);

        zone.Id.ShouldBe("Europe/Moscow");
        fellBack.ShouldBeFalse();
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "rus", "Europe/Moscow")]
    [InlineData(null, "kaz", "Asia/Almaty")]
    [InlineData(" ", "BLR", "Europe/Minsk")]
    [InlineData("", "deu", "Europe/Berlin")]
    [InlineData(null, "usa", "America/New_York")]
    [InlineData("Nowhere/At_All", "xyz", "UTC")]
    [InlineData(null, null, "UTC")]
    public void An_unknown_or_missing_zone_falls_back_to_the_country_s_main_zone_then_UTC(string? id, string? country, string expected)
    {
        var (zone, fellBack) = ClientZones.Resolve(id, country);

        zone.Id.ShouldBe(expected);
        fellBack.ShouldBeTrue();
    }

    [Fact]
    public void Every_country_s_main_zone_is_in_tzdb() =>
        ClientZones.CountryMainZones.Values.ShouldAllBe(id => DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) != null);
}
