using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Contracts;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>What events would do, on a virtual clock, with the real rules and settings — and nothing written.</summary>
public sealed class SimulateTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TestEvents Events = new(T0);
    private readonly TestHost _host = new();
    private readonly HttpClient _viewer;

    public SimulateTests()
    {
        _viewer = _host.Client(Roles.Viewer);
    }

    public void Dispose()
    {
        _viewer.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task An_offer_accepted_a_day_later_and_a_first_order_play_out_letter_by_letter()
    {
        var created = Contract(null, Prepaid(accepted: false), T0);
        var accepted = Contract(Prepaid(accepted: false), Prepaid(accepted: true), T0.AddDays(1));
        var order = Events.Order("client-1", "o-1", at: T0.AddDays(5));

        var result = await SimulateAsync(new { client = Client(), events = new[] { created, accepted, (IEvent)order }.Select(Wire) });

        Outcomes(result).ShouldBe(
        [
            "FirstRemindPrepaidNotice due 2026-12-03 09:00 dequeued at 2026-12-02 09:00",
            "PrepaidFirstTakeARideNotice due 2026-12-05 09:00 sent at 2026-12-05 09:00",
            "PrepaidSecondTakeARideNotice due 2026-12-09 09:00 dequeued at 2026-12-06 09:00",
            "SecondRemindPrepaidNotice due 2026-12-06 09:00 dequeued at 2026-12-02 09:00",
            "ThirdRemindOfferNotice due 2026-12-11 09:00 dequeued at 2026-12-02 09:00",
        ]);
        result.Letters.Single(l => l.Outcome == "sent").Recipients.ShouldBe(["finance@acme.example"]);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_balance_round_trip_sends_limit_is_over_and_unblock_and_dequeues_the_reminder()
    {
        var contract = new { contractId = "contract-1", externalId = "EXT-1", state = new ContractState { PaymentType = PaymentTypes.Prepaid, Services = ["taxi"], LowBalanceThreshold = 100, DeactivateThreshold = 25 } };
        var down = Balance(150, 5, T0);
        var up = Balance(5, 150, T0.AddDays(1));

        var result = await SimulateAsync(new { client = Client(), contract, events = new[] { Wire(down), Wire(up) } });

        Outcomes(result).ShouldBe(
        [
            "FinancialUnblockNotice due 2026-12-02 09:00 sent at 2026-12-02 09:00",
            "LimitIsOverNotice due 2026-12-01 09:00 sent at 2026-12-01 09:00",
            "LimitIsOverRemindNotice due 2026-12-04 09:00 dequeued at 2026-12-02 09:00",
        ]);
        result.Letters.Single(l => l.Kind == "LimitIsOverNotice").Args["external_id"]!.ToString().ShouldBe("EXT-1");
    }

    [Fact]
    public async Task A_low_balance_letter_over_its_cap_is_simulated_as_capped()
    {
        var contract = new { contractId = "contract-1", externalId = "EXT-1", state = new ContractState { PaymentType = PaymentTypes.Prepaid, Services = ["taxi"], LowBalanceThreshold = 100, DeactivateThreshold = 25, LowBalanceNotificationsEnabled = true } };
        var events = new[]
        {
            Balance(150, 50, T0), Balance(50, 150, T0.AddMinutes(10)), Balance(150, 50, T0.AddMinutes(20)), Balance(50, 150, T0.AddHours(2)), Balance(150, 50, T0.AddDays(1)),
        };

        var result = await SimulateAsync(new { client = Client(), contract, events = events.Select(Wire) });

        result.Letters.Select(l => (l.Kind, l.Outcome, l.ReasonCode)).ShouldBe(
        [
            ("LowBalanceNotice", "sent", null),
            ("LowBalanceNotice", "rejected", "capped"),
            ("LowBalanceNotice", "sent", null),
        ]);
        result.Letters[1].Reason.ShouldStartWith("1 LowBalanceNotice per contract within 24 h already (notice ");
    }

    [Fact]
    public async Task Send_time_checks_are_simulated_with_their_reason_codes()
    {
        var result = await SimulateAsync(new
        {
            client = new { name = "Acme", country = "rus", locale = "ru", emails = Array.Empty<string>() },
            events = new[] { Wire(Contract(null, new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["cargo"] }, T0)) },
        });

        result.Letters.Select(l => (l.Kind, l.Outcome, l.ReasonCode)).ShouldBe(
        [
            ("CargoActivateClientNotice", "rejected", "no_recipient"),
            ("PostpaidFirstTakeARideNotice", "rejected", "no_taxi_service"),
            ("PostpaidSecondTakeARideNotice", "rejected", "no_taxi_service"),
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task A_bad_simulation_is_refused_naming_the_event_and_field()
    {
        using var response = await _viewer.PostAsJsonAsync("/api/v1/simulate", new
        {
            events = new object[] { new { eventId = "x", type = "BalanceChanged", occurredAt = "2026-12-01T00:00:00Z", clientId = "c", data = new { contractId = "k", oldBalance = "lots", newBalance = 1, currency = "RUB" } } },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")
            .TryGetProperty("events[0].data.oldBalance", out _).ShouldBeTrue();
    }

    private static IEnumerable<string> Outcomes(SimulationResult result) =>
        result.Letters.Select(l => $"{l.Kind} due {l.SendAt:yyyy-MM-dd HH:mm} {l.Outcome} at {l.OutcomeAt:yyyy-MM-dd HH:mm}").Order(StringComparer.Ordinal);

    private async Task<SimulationResult> SimulateAsync(object body)
    {
        using var response = await _viewer.PostAsJsonAsync("/api/v1/simulate", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SimulationResult>(Json))!;
    }

    private async Task AssertNothingWrittenAsync()
    {
        (await _host.WithDbAsync(db => Task.FromResult(db.Events.Count() + db.Notices.Count() + db.Clients.Count() + db.Contracts.Count()))).ShouldBe(0);
        _host.Letters().ShouldBeEmpty();
    }

    private static object Client() => new { name = "Acme", country = "rus", locale = "ru", emails = new[] { "finance@acme.example" } };

    private static JsonElement Wire(IEvent evt) => JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(evt));

    private static ContractState Prepaid(bool accepted) => new() { PaymentType = PaymentTypes.Prepaid, IsOffer = true, OfferAccepted = accepted, Services = ["taxi"] };

    private static ContractChanged Contract(ContractState? from, ContractState to, DateTimeOffset at) => Events.Contract("client-1", from, to, "contract-1", at: at);

    private static BalanceChanged Balance(decimal from, decimal to, DateTimeOffset at) => Events.Balance("client-1", from, to, "contract-1", at: at);
}
