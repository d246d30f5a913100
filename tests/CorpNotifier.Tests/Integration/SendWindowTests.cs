using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Contracts;
using CorpNotifier.Testing;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// Letters at a decent hour: a delayed letter is due after its delay in the recipient's local
/// calendar days, moved to its kind's send window (09:00–19:00) on the recipient's business days —
/// the same moment in the service, in <c>POST /api/v1/simulate</c> and in the producers' test kit.
/// A letter taken outside its window anyway (a late sweep) is held until the window opens.
/// </summary>
public sealed class SendWindowTests
{
    private static readonly Dictionary<string, string?> WithWindows = new() { ["SendWindows:Enabled"] = "true" };

    public sealed record Scenario(string Name, string TimeZone, string Country, DateTimeOffset At, string Kind, DateTimeOffset Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Scenario> Scenarios =>
    [
        // Monday 7 December 2026, 02:30 Moscow (UTC+3): three days later is Thursday, 02:30 → 09:00.
        new("contract activated at 02:30 Moscow", "Europe/Moscow", "rus", At(2026, 12, 6, 23, 30), "PostpaidFirstTakeARideNotice", At(2026, 12, 10, 6, 0)),
        // The same in Almaty (UTC+5 since March 2024): 09:00 Almaty is 04:00 UTC.
        new("contract activated at 02:30 Almaty", "Asia/Almaty", "kaz", At(2026, 12, 6, 21, 30), "PostpaidFirstTakeARideNotice", At(2026, 12, 10, 4, 0)),
        // A reminder three days after Tuesday 29 December 12:00 falls on 1 January 2027: Russia rests
        // until Sunday 10 January, so it goes on Monday 11 January at 09:00 Moscow.
        new("a reminder falling on 1 January", "Europe/Moscow", "rus", At(2026, 12, 29, 9, 0), "LimitIsOverRemindNotice", At(2027, 1, 11, 6, 0)),
        // Belarus works Saturday 25 April 2026: three days after Wednesday 22 April 10:00 Minsk, the
        // letter goes at 10:00 that Saturday.
        new("a working Saturday", "Europe/Minsk", "blr", At(2026, 4, 22, 7, 0), "PostpaidFirstTakeARideNotice", At(2026, 4, 25, 7, 0)),
    ];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_service_the_simulation_and_the_kit_put_a_delayed_letter_at_the_same_decent_hour(Scenario scenario)
    {
        using var host = new TestHost(WithWindows);
        host.Clock.SetTo(scenario.At);
        var events = Events(host, scenario);

        foreach (var evt in events)
        {
            await host.PostAndWaitAsync(evt);
        }

        var served = (await host.NoticesAsync("client-42")).Single(n => n.Kind == scenario.Kind);
        served.SendAt.ShouldBe(scenario.Expected, scenario.Name);

        var simulated = (await SimulateAsync(host, scenario, events)).Single(l => l.Kind == scenario.Kind);
        simulated.SendAt.ShouldBe(scenario.Expected, "the simulation");
        simulated.Outcome.ShouldBe("sent");

        var predicted = (await LetterPrediction.PredictAsync(Client(scenario), events)).Single(scenario.Kind);
        predicted.SendAt.ShouldBe(scenario.Expected, "the kit");
        predicted.OutcomeAt.ShouldBe(scenario.Expected, "the kit sends it when the window opens");

        // And it goes then.
        host.Clock.Advance(scenario.Expected - host.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        var sent = await Eventually.MatchAsync(
            () => host.NoticesAsync("client-42"),
            n => n.Single(x => x.Kind == scenario.Kind).Status == NoticeStatus.Sent,
            "the letter to go when its window opens");
        sent.Single(x => x.Kind == scenario.Kind).SentAt!.Value.ShouldBeGreaterThanOrEqualTo(scenario.Expected);
    }

    [Fact]
    public async Task A_letter_a_late_sweep_takes_at_19_05_local_waits_for_the_next_business_morning()
    {
        using var host = new TestHost(WithWindows);
        // Monday 7 December 2026, 18:59 Moscow: three days later, Thursday 18:59, is inside the window.
        host.Clock.SetTo(At(2026, 12, 7, 15, 59));
        var scenario = new Scenario("late sweep", "Europe/Moscow", "rus", At(2026, 12, 7, 15, 59), "PostpaidFirstTakeARideNotice", default);
        foreach (var evt in Events(host, scenario))
        {
            await host.PostAndWaitAsync(evt);
        }

        var planned = (await host.NoticesAsync("client-42")).Single(n => n.Kind == scenario.Kind);
        planned.SendAt.ShouldBe(At(2026, 12, 10, 15, 59));

        // The sweep comes only at 19:05 Moscow time: the window has closed.
        host.Clock.Advance(At(2026, 12, 10, 16, 5) - host.Clock.GetUtcNow());
        var held = await Eventually.MatchAsync(
            () => NoticeAsync(host, planned.Id),
            n => n.Timeline.Any(t => t.Type == TimelineEntryType.Held),
            "the letter to be held");
        held.Status.ShouldBe(NoticeStatus.Pending);
        held.SendAt.ShouldBe(At(2026, 12, 11, 6, 0), "Friday 09:00 Moscow");
        held.Attempts.ShouldBe(0, "a hold is not an attempt");
        held.Timeline.Single(t => t.Type == TimelineEntryType.Held).Detail.ShouldBe("held for the send window until 2026-12-11 09:00 Europe/Moscow");
        host.Letters().ShouldNotContain(f => f.Contains(scenario.Kind, StringComparison.Ordinal), "nothing went out at 19:05");

        host.Clock.Advance(At(2026, 12, 11, 6, 0, 1) - host.Clock.GetUtcNow());
        var sent = await Eventually.MatchAsync(() => NoticeAsync(host, planned.Id), n => n.Status == NoticeStatus.Sent, "the letter to go in the morning");
        sent.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task With_send_windows_switched_off_a_delayed_letter_goes_at_its_moment_at_any_hour()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["SendWindows:Enabled"] = "false" });
        var scenario = new Scenario("at 02:30 Moscow", "Europe/Moscow", "rus", At(2026, 12, 6, 23, 30), "PostpaidFirstTakeARideNotice", default);
        host.Clock.SetTo(scenario.At);
        foreach (var evt in Events(host, scenario))
        {
            await host.PostAndWaitAsync(evt);
        }

        (await host.NoticesAsync("client-42")).Single(n => n.Kind == scenario.Kind).SendAt.ShouldBe(scenario.At.AddDays(3));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second = 0) => new(year, month, day, hour, minute, second, TimeSpan.Zero);

    private static IReadOnlyList<IEvent> Events(TestHost host, Scenario scenario)
    {
        // At the scenario's very moment: the clock runs on while the test posts them.
        var at = scenario.At;
        var profile = host.Events.Profile("client-42", ["finance@acme.example"], eventId: "profile", at: at) with { TimeZone = scenario.TimeZone, Country = scenario.Country };
        if (scenario.Kind == "LimitIsOverRemindNotice")
        {
            return [profile, host.Events.ContractResync("client-42", eventId: "contract", at: at), host.Events.Balance("client-42", 150, -5, eventId: "drop", at: at)];
        }

        var inactive = new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] };
        return [profile, host.Events.Contract("client-42", inactive, inactive with { IsActive = true }, eventId: "activation", at: at)];
    }

    private static PredictionClient Client(Scenario scenario) =>
        new() { Name = "Acme LLC", Country = scenario.Country, Locale = "ru", TimeZone = scenario.TimeZone, Emails = ["finance@acme.example"] };

    private static async Task<IReadOnlyList<SimulatedLetter>> SimulateAsync(TestHost host, Scenario scenario, IReadOnlyList<IEvent> events)
    {
        using var viewer = host.Client(CorpNotifier.Auth.Roles.Viewer);
        using var response = await viewer.PostAsJsonAsync("/api/v1/simulate", new
        {
            client = new { name = "Acme LLC", country = scenario.Country, locale = "ru", timeZone = scenario.TimeZone, emails = new[] { "finance@acme.example" } },
            events = events.Select(e => JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(e))),
        });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SimulationResult>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!.Letters;
    }

    private static Task<Notice> NoticeAsync(TestHost host, long id) =>
        host.WithDbAsync(db => db.Notices.AsNoTracking().Include(n => n.Timeline).SingleAsync(n => n.Id == id));
}
