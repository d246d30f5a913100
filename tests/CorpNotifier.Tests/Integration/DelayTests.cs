using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Contracts;
using CorpNotifier.Testing;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// A notice's delay counts from its event's <c>occurredAt</c>, the same in the service, in
/// <c>POST /api/v1/simulate</c> and in the producers' test kit: an event that arrives late keeps
/// its letters' moments, and a letter whose moment has passed goes out at once.
/// </summary>
public sealed class DelayTests : IAsyncLifetime
{
    private readonly TestHost _host = OnMondayMorning();

    public async Task InitializeAsync()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-42", ["billing@acme.example"]));
        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-42"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>
    /// Send windows on, as the kit has them, on Monday 7 December 2026 at 10:00 Moscow time: three
    /// days after the day before, and four days before, are inside the window, so the moments here
    /// are the delays' own.
    /// </summary>
    private static TestHost OnMondayMorning()
    {
        var host = new TestHost(new Dictionary<string, string?> { ["SendWindows:Enabled"] = "true" });
        host.Clock.SetTo(new DateTimeOffset(2026, 12, 7, 7, 0, 0, TimeSpan.Zero));
        return host;
    }

    [Fact]
    public async Task An_event_processed_a_day_late_schedules_its_reminder_three_days_after_the_event_as_simulate_and_the_kit_do()
    {
        var now = _host.Clock.GetUtcNow();
        var drop = _host.Events.Balance("client-42", 150, 5, eventId: "drop-late", at: now.AddDays(-1));

        await _host.PostAndWaitAsync(drop);

        var remind = (await _host.NoticesAsync("client-42")).Single(n => n.Kind == "LimitIsOverRemindNotice");
        remind.Status.ShouldBe(NoticeStatus.Pending);
        remind.SendAt.ShouldBe(drop.OccurredAt.AddDays(3));
        remind.CreatedAt.ShouldBeGreaterThanOrEqualTo(now);

        var simulated = await SimulateAsync(drop);
        simulated.Letters.Single(l => l.Kind == "LimitIsOverRemindNotice").SendAt.ShouldBe(remind.SendAt);
        var predicted = await LetterPrediction.PredictAsync(
            new PredictionClient { Name = "Acme LLC", Country = "rus", Locale = "ru", Emails = ["billing@acme.example"] },
            new PredictionContract(TestEvents.DefaultContractId, TestEvents.KnownState()),
            [drop]);
        predicted.Single("LimitIsOverRemindNotice").SendAt.ShouldBe(remind.SendAt);
    }

    [Fact]
    public async Task A_reminder_whose_moment_passed_before_its_event_arrived_goes_out_at_once()
    {
        var drop = _host.Events.Balance("client-42", 150, 5, eventId: "drop-very-late", at: _host.Clock.GetUtcNow().AddDays(-4));

        await _host.PostAndWaitAsync(drop);

        var notices = await Eventually.MatchAsync(
            () => _host.NoticesAsync("client-42"),
            n => n.Count == 2 && n.All(x => x.Status == NoticeStatus.Sent),
            "the limit-is-over letter and its reminder, both due at once, to be sent");
        var remind = notices.Single(n => n.Kind == "LimitIsOverRemindNotice");
        remind.SendAt.ShouldBe(remind.CreatedAt, "nothing is due before it is created");
    }

    private async Task<SimulationResult> SimulateAsync(IEvent evt)
    {
        using var viewer = _host.Client(CorpNotifier.Auth.Roles.Viewer);
        using var response = await viewer.PostAsJsonAsync("/api/v1/simulate", new
        {
            client = new { name = "Acme LLC", country = "rus", locale = "ru", emails = new[] { "billing@acme.example" } },
            contract = new { contractId = TestEvents.DefaultContractId, state = TestEvents.KnownState() },
            events = new[] { JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(evt)) },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SimulationResult>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }
}
