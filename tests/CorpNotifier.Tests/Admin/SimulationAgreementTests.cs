using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Contracts;
using CorpNotifier.Testing;
using CorpNotifier.Tests.Integration;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Admin;

/// <summary>
/// The simulation runs the service's own pipeline, so the same events give the same letters: each
/// scenario is played once through the running service (events posted at their moment, the clock
/// moved, the sweeper sending what falls due) and once through <c>POST /api/v1/simulate</c>.
/// </summary>
public sealed class SimulationAgreementTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Dictionary<string, string?> WithWindows = new() { ["SendWindows:Enabled"] = "true" };
    // Send windows on, as the kit has them: the three must agree on when a letter is held, too.
    private readonly TestHost _service = new(WithWindows);
    private readonly TestHost _simulator = new(WithWindows);
    private readonly DateTimeOffset _t0;

    public SimulationAgreementTests()
    {
        _t0 = _service.Clock.GetUtcNow().AddMinutes(1);
    }

    public void Dispose()
    {
        _service.Dispose();
        _simulator.Dispose();
    }

    public static TheoryData<string> Scenarios => ["offer reminders, acceptance, first order", "postpaid activation", "balance round trip", "no address and no taxi"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_simulation_and_the_service_give_the_same_letters(string scenario)
    {
        var events = Build(scenario);

        var simulated = await SimulateAsync(events);
        var served = await ServeAsync(events);

        served.ShouldNotBeEmpty();
        simulated.ShouldBe(served, $"{scenario}: simulated\n{string.Join("\n", simulated)}\nserved\n{string.Join("\n", served)}");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_producers_test_kit_predicts_the_letters_the_simulation_gives(string scenario)
    {
        var events = Build(scenario);

        var simulated = await SimulateAsync(events);
        var predicted = await LetterPrediction.PredictAsync(new PredictionClient(), events);

        predicted.Letters.ShouldNotBeEmpty();
        string.Join("\n", predicted.Letters.Select(l => Describe(l.Kind, l.ContractId, l.SendAt, l.Outcome.ToString().ToLowerInvariant(), l.ReasonCode, l.Recipients)).Order(StringComparer.Ordinal))
            .ShouldBe(string.Join("\n", simulated), scenario);
    }

    private IReadOnlyList<IEvent> Build(string scenario)
    {
        var withTaxi = scenario != "no address and no taxi";
        var profile = _service.Events.Profile("client-1", withTaxi ? ["finance@acme.example"] : [], eventId: "profile", at: _t0);
        var thresholds = new ContractState { PaymentType = PaymentTypes.Prepaid, IsActive = true, OfferAccepted = true, Services = ["taxi"], LowBalanceThreshold = 100, DeactivateThreshold = 25, LowBalanceNotificationsEnabled = true };
        return scenario switch
        {
            "offer reminders, acceptance, first order" =>
            [
                profile,
                Contract("c1", null, Prepaid(accepted: false), _t0.AddHours(1)),
                Contract("c2", Prepaid(accepted: false), Prepaid(accepted: true), _t0.AddDays(1)),
                _service.Events.Order("client-1", "o-1", eventId: "order", at: _t0.AddDays(5)),
            ],
            "postpaid activation" =>
            [
                profile,
                Contract("c1", new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi", "cargo"] }, new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["taxi", "cargo"] }, _t0.AddHours(1)),
            ],
            "balance round trip" =>
            [
                profile,
                Contract("c1", thresholds, thresholds, _t0.AddMinutes(10)),
                Balance("b1", 150, 50, _t0.AddHours(1)),
                Balance("b2", 50, 5, _t0.AddHours(2)),
                Balance("b3", 5, 150, _t0.AddDays(1)),
            ],
            _ =>
            [
                profile,
                Contract("c1", null, new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["cargo"] }, _t0.AddHours(1)),
            ],
        };
    }

    private async Task<List<string>> SimulateAsync(IReadOnlyList<IEvent> events)
    {
        using var viewer = _simulator.Client(CorpNotifier.Auth.Roles.Viewer);
        using var response = await viewer.PostAsJsonAsync("/api/v1/simulate", new { events = events.Select(e => JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(e))) });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<SimulationResult>(Json))!;
        return [.. result.Letters.Select(l => Describe(l.Kind, l.ContractId, l.SendAt, l.Outcome, l.ReasonCode, l.Recipients)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Each event at its moment on the service's clock; what falls due in between is sent first; in the end, everything.</summary>
    private async Task<List<string>> ServeAsync(IReadOnlyList<IEvent> events)
    {
        foreach (var evt in events.OrderBy(e => e.OccurredAt))
        {
            await MoveToAsync(evt.OccurredAt);
            await _service.PostAndWaitAsync(evt);
        }

        await MoveToAsync(_t0.AddDays(60));
        var notices = await _service.WithDbAsync(db => db.Notices.AsNoTracking().OrderBy(n => n.Id).ToListAsync());
        return [.. notices.Select(n => Describe(n.Kind, n.ContractId, n.SendAt, CorpNotifier.Hosting.WireName.Of(n.Status), n.ReasonCode, n.SentTo)).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Moves the service's clock to <paramref name="moment"/>: first everything due before the move
    /// is done (as on the simulation's clock, where time stands still while letters go out), then
    /// everything due by the moment.
    /// </summary>
    private async Task MoveToAsync(DateTimeOffset moment)
    {
        await DrainAsync(_service.Clock.GetUtcNow());

        // Letter by letter, as the simulation's clock goes: a jump past a letter's moment would make
        // it a late sweep's, held outside its send window, which the simulation never is.
        while (await _service.WithDbAsync(db => db.Notices.Where(n => n.Status == NoticeStatus.Pending && n.SendAt <= moment).OrderBy(n => n.SendAt).Select(n => (DateTimeOffset?)n.SendAt).FirstOrDefaultAsync()) is { } next)
        {
            Advance(next);
            await DrainAsync(next);
        }

        Advance(moment);
        await DrainAsync(moment);
    }

    private void Advance(DateTimeOffset to)
    {
        var by = to - _service.Clock.GetUtcNow();
        if (by > TimeSpan.Zero)
        {
            _service.Clock.Advance(by);
        }
    }

    private async Task DrainAsync(DateTimeOffset moment)
    {
        await Eventually.MatchAsync(
            () => _service.WithDbAsync(db => db.Notices.CountAsync(n => (n.Status == NoticeStatus.Pending || n.Status == NoticeStatus.Sending) && n.SendAt <= moment)),
            due => due == 0,
            $"the letters due by {moment:O} to be done");
        await _service.WaitForSweepsAsync();
    }

    /// <summary>A letter as both sides can tell it: due to the minute (the service's clock runs on between steps).</summary>
    private string Describe(string kind, string? contractId, DateTimeOffset sendAt, string outcome, string? reasonCode, IEnumerable<string> recipients) =>
        $"{kind} {contractId} due +{(sendAt - _t0).TotalMinutes:0} min {outcome} {reasonCode} to [{string.Join(",", recipients)}]";

    private static ContractState Prepaid(bool accepted) => new() { PaymentType = PaymentTypes.Prepaid, IsOffer = true, OfferAccepted = accepted, Services = ["taxi"] };

    private ContractChanged Contract(string id, ContractState? from, ContractState to, DateTimeOffset at) => _service.Events.Contract("client-1", from, to, "contract-1", eventId: id, at: at);

    private BalanceChanged Balance(string id, decimal from, decimal to, DateTimeOffset at) => _service.Events.Balance("client-1", from, to, "contract-1", eventId: id, at: at);
}
