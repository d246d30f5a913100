using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Hosting;

/// <summary>The meter ops watch counts what really happened: events, letters by outcome, lateness.</summary>
public sealed class MetricsTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly MeterProbe _meter;

    public MetricsTests()
    {
        _meter = new MeterProbe(_host);
    }

    public void Dispose()
    {
        _meter.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task Events_and_letters_are_counted_by_type_kind_and_outcome()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", emails: []));
        var activation = _host.Events.Contract("client-1", null, new CorpNotifier.Contracts.ContractState { PaymentType = "postpaid", IsActive = true, Services = ["taxi"] });
        await _host.PostAndWaitAsync(activation);
        await _host.PostAndWaitAsync(activation); // the same event again
        await Eventually.MatchAsync(() => _host.NoticesAsync("client-1"), n => n.Any(x => x.Kind == "ActivateClientNotice" && x.Status == NoticeStatus.Rejected), "the activation letter to be rejected");

        Count("corp_notifier.events", ("type", "ContractChanged"), ("outcome", "processed")).ShouldBe(1);
        await Eventually.MatchAsync(
            () => Task.FromResult(Count("corp_notifier.events", ("type", "ContractChanged"), ("outcome", "duplicate"))),
            n => n == 1,
            "the repeat to be counted as a duplicate");
        await Eventually.MatchAsync(
            () => Task.FromResult(Count("corp_notifier.letters", ("kind", "ActivateClientNotice"), ("outcome", "rejected"))),
            n => n == 1,
            "the rejection to be counted");
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_service_exports_and_still_serves()
    {
        using var exporting = new TestHost(new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:4317" });
        using var client = exporting.CreateClient();
        (await client.GetAsync("/health/ready")).IsSuccessStatusCode.ShouldBeTrue();
        exporting.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)).ShouldNotBeNull();
    }

    private double Count(string instrument, params (string Key, string Value)[] tags) => _meter.Count(instrument, tags);
}
