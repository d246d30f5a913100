using CorpNotifier.Calendars;
using CorpNotifier.Contracts;
using NodaTime;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Send windows on the real pipeline (PostgreSQL, RabbitMQ, the service's process with its own
/// clock): delayed letters planned at 09:00 in their client's zone on its country's business days,
/// and a letter whose client moved to a zone where it is evening held until the morning there.
/// (The dates and hours themselves, scenario by scenario, are pinned on a fixed clock in
/// <c>CorpNotifier.Tests.Integration.SendWindowTests</c> and the calendar's unit tests.)
/// </summary>
public sealed class SendWindowTests(ITestOutputHelper output) : SystemTest
{
    private static readonly BusinessCalendars Calendars = new(TimeProvider.System);

    [Fact]
    public async Task Delayed_letters_wait_for_business_hours_in_the_clients_zone_and_a_letter_whose_client_moved_to_the_evening_is_held()
    {
        // Three days, unless no night of the last three has a business day three days later (Russia's
        // New Year holidays): then the shortest delay that has one, so the test runs on any date.
        var now = DateTimeOffset.UtcNow;
        var days = Enumerable.Range(3, 12).First(n => NightBefore(now, "Europe/Moscow", "rus", n) is not null && NightBefore(now, "Asia/Almaty", "kaz", n) is not null);
        var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["SendWindows:Enabled"] = "true",
            ["Notices:PostpaidFirstTakeARideNotice:Offset"] = $"{days}.00:00:00",
            // A reminder 30 days after the balance fell: it falls on the next 1 January.
            ["Notices:LimitIsOverRemindNotice:Offset"] = "30.00:00:00",
            // The letter that is held: due 15 s after its event, at any hour of any day.
            ["Notices:PrepaidFirstTakeARideNotice:Offset"] = "00:00:15",
            ["Notices:PrepaidFirstTakeARideNotice:Window:Days"] = "AnyDay",
        });

        // The events carry their producers' local offsets (+03:00, +05:00): PostgreSQL stores them as UTC.

        // Moscow and Almaty: a postpaid contract activated at 02:30 local, three days later at 09:00 local.
        var moscow = await ActivatedAtNightAsync(service, "client-msk", "Europe/Moscow", "rus", now, days);
        var almaty = await ActivatedAtNightAsync(service, "client-ala", "Asia/Almaty", "kaz", now, days);

        // A reminder falling on the next 1 January goes on Russia's first working day after it, at 09:00 Moscow.
        var newYear = new LocalDate(now.Year + 1, 1, 1);
        var fall = newYear.AtStartOfDayInZone(Zone("Europe/Moscow")).PlusHours(12).ToDateTimeOffset() - TimeSpan.FromDays(30);
        var reminderDue = Opening(newYear, "Europe/Moscow", "rus");
        await PostAsync(service, Events.Profile("client-ny", ["ny@acme.example"], at: fall));
        await PostAsync(service, Events.ContractResync("client-ny", "contract-ny", at: fall));
        await WaitForEventsAsync("client-ny", 2);
        await PostAsync(service, Events.Balance("client-ny", 150, -5, "contract-ny", at: fall));

        var notices = await WaitForNoticesAsync(
            n => n.Any(x => x.ClientId == "client-msk") && n.Any(x => x.ClientId == "client-ala") && n.Any(x => x.ClientId == "client-ny" && x.Kind == "LimitIsOverRemindNotice"),
            "the delayed letters to be planned");
        Planned(notices, "client-msk", "PostpaidFirstTakeARideNotice").ShouldBe(moscow, "Moscow");
        Planned(notices, "client-ala", "PostpaidFirstTakeARideNotice").ShouldBe(almaty, "Almaty");
        Planned(notices, "client-ny", "LimitIsOverRemindNotice").ShouldBe(reminderDue, "after the New Year holidays");
        output.WriteLine($"planned: Moscow {moscow:O}, Almaty {almaty:O}, the New Year reminder {reminderDue:O}");

        // A letter planned in the afternoon of one zone; its client moves to a zone where it is now
        // evening before it goes: the send path holds it until 09:00 there.
        var (afternoon, evening) = (ZoneAtHour(now, 13), ZoneAtHour(now, 21));
        await PostAsync(service, Events.Profile("client-moved", ["moved@acme.example"]) with { TimeZone = afternoon, Country = "rus" });
        await WaitForEventsAsync("client-moved", 1);
        await PostAsync(service, Events.Contract("client-moved", null, new ContractState { PaymentType = PaymentTypes.Prepaid, IsOffer = true, OfferAccepted = true, Services = ["taxi"] }, "contract-moved"));
        var planned = (await WaitForNoticesAsync(n => n.Any(x => x.ClientId == "client-moved" && x.Kind == "PrepaidFirstTakeARideNotice"), "the letter to be planned"))
            .Single(x => x.ClientId == "client-moved" && x.Kind == "PrepaidFirstTakeARideNotice");
        await PostAsync(service, Events.Profile("client-moved", ["moved@acme.example"]) with { TimeZone = evening, Country = "rus" });

        var held = (await WaitForNoticesAsync(
            n => n.Single(x => x.Id == planned.Id).Timeline.Any(t => t.Type == TimelineEntryType.Held),
            "the letter to be held",
            TimeSpan.FromSeconds(90))).Single(x => x.Id == planned.Id);
        var morning = Instant.FromDateTimeOffset(held.SendAt).InZone(Zone(evening));
        output.WriteLine($"held in {evening}: {held.Timeline.Single(t => t.Type == TimelineEntryType.Held).Detail}");
        held.Status.ShouldBe(NoticeStatus.Pending);
        morning.TimeOfDay.ShouldBe(new LocalTime(9, 0));
        held.SendAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        held.SendAt.ShouldBeLessThan(DateTimeOffset.UtcNow.AddHours(13));
        held.Attempts.ShouldBe(0);
        Upstreams.SenderCalls.ShouldNotContain(c => c.ToEmail == "moved@acme.example");
    }

    /// <summary>Posts a postpaid activation at 02:30 local on <see cref="NightBefore"/>'s day; returns when its letter is due (09:00 local, <paramref name="days"/> days later).</summary>
    private async Task<DateTimeOffset> ActivatedAtNightAsync(ServiceProcess service, string clientId, string zoneId, string country, DateTimeOffset now, int days)
    {
        var zone = Zone(zoneId);
        var day = NightBefore(now, zoneId, country, days)!.Value;
        var at = day.At(new LocalTime(2, 30)).InZoneLeniently(zone).ToDateTimeOffset();
        await PostAsync(service, Events.Profile(clientId, [$"{clientId}@acme.example"], at: at) with { TimeZone = zoneId, Country = country });
        await WaitForEventsAsync(clientId, 1);
        var inactive = new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] };
        await PostAsync(service, Events.Contract(clientId, inactive, inactive with { IsActive = true }, $"contract-{clientId}", at: at));
        return day.PlusDays(days).At(new LocalTime(9, 0)).InZoneLeniently(zone).ToDateTimeOffset().ToUniversalTime();
    }

    /// <summary>The latest of the last three days whose 02:30 local has passed and whose <paramref name="days"/>th day after is a business day.</summary>
    private static LocalDate? NightBefore(DateTimeOffset now, string zoneId, string country, int days)
    {
        var zone = Zone(zoneId);
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        return Enumerable.Range(0, 3).Select(i => today.PlusDays(-i))
            .Where(d => d.At(new LocalTime(2, 30)).InZoneLeniently(zone).ToInstant() <= Instant.FromDateTimeOffset(now) && Calendars.For(country).IsBusinessDay(d.PlusDays(days)))
            .Select(d => (LocalDate?)d)
            .FirstOrDefault();
    }

    /// <summary>09:00 local on the first business day from <paramref name="date"/> on.</summary>
    private static DateTimeOffset Opening(LocalDate date, string zoneId, string country)
    {
        while (!Calendars.For(country).IsBusinessDay(date))
        {
            date = date.PlusDays(1);
        }

        return date.At(new LocalTime(9, 0)).InZoneLeniently(Zone(zoneId)).ToDateTimeOffset().ToUniversalTime();
    }

    /// <summary>A fixed-offset zone (<c>Etc/GMT±n</c>) where it is about <paramref name="hour"/> o'clock now.</summary>
    private static string ZoneAtHour(DateTimeOffset now, int hour)
    {
        var offset = ((hour - now.UtcDateTime.Hour) % 24 + 24) % 24;
        if (offset > 14)
        {
            offset -= 24;
        }

        // Etc/GMT's sign is inverted: Etc/GMT-3 is three hours ahead of UTC.
        return offset == 0 ? "Etc/GMT" : offset > 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}";
    }

    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    private static DateTimeOffset Planned(List<Notice> notices, string clientId, string kind) =>
        notices.Single(n => n.ClientId == clientId && n.Kind == kind).SendAt.ToUniversalTime();

    private async Task WaitForEventsAsync(string clientId, int count) =>
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count(e => e.ClientId == clientId);
            },
            n => n >= count,
            $"{count} events of {clientId} to be processed",
            diagnostics: Logs);
}
