using System.Net;
using System.Net.Http.Json;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Hosting;

/// <summary>
/// The tests that read <c>GET /metrics</c> run alone, one host at a time: the service's instruments
/// are process-wide by name, so a scrape would add up every live host's counts (and gauges), and a
/// host's disposal ends the series of that name for the other hosts' scrapes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class PrometheusScrapes
{
    public const string Name = "Prometheus scrapes";
}

/// <summary>
/// A host that has processed events and sent a letter, scraped once everything ops watch is
/// there: events, letters by outcome, lateness, the due-letter gauges.
/// </summary>
public sealed class ScrapedHost : IAsyncLifetime
{
    /// <summary>The series <c>GET /metrics</c> must show once a letter went out (the names the dashboard and the alerts use).</summary>
    public static readonly string[] Expected =
    [
        "corp_notifier_events_total",
        "corp_notifier_events_received_total",
        "corp_notifier_letters_total",
        "corp_notifier_letters_lateness_seconds_bucket",
        "corp_notifier_letters_lateness_seconds_sum",
        "corp_notifier_letters_lateness_seconds_count",
        "corp_notifier_due_letters",
        "corp_notifier_oldest_due_letter_age_seconds",
    ];

    public TestHost Host { get; } = new(new Dictionary<string, string?> { ["Telemetry:DueLettersSampleInterval"] = "00:00:00.200" });

    public PrometheusScrape Scrape { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Host.PostAndWaitAsync(Host.Events.Profile("client-42", ["billing@acme.example"]));
        await Host.PostAndWaitAsync(Host.Events.ContractResync("client-42"));
        await Host.PostAndWaitAsync(Host.Events.Balance("client-42", 150, 50, eventId: "balance-1"));
        Scrape = await PrometheusScrape.WaitForAsync(
            Host,
            s => Expected.All(s.Names.Contains) && s.Of("corp_notifier_letters_total", ("outcome", "sent")).Any(),
            "the letter's series on /metrics");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary><c>GET /metrics</c>: what Prometheus scrapes, anonymous, switched off with <c>Telemetry:Prometheus=false</c>.</summary>
[Collection(PrometheusScrapes.Name)]
public sealed class PrometheusEndpointTests(ScrapedHost scraped) : IClassFixture<ScrapedHost>
{
    [Fact]
    public void The_scrape_is_prometheus_text_with_events_letters_lateness_and_due_letters()
    {
        var scrape = scraped.Scrape;
        scrape.MediaType.ShouldBe("text/plain");
        ScrapedHost.Expected.Where(n => !scrape.Names.Contains(n)).ShouldBeEmpty();
        scrape.Of("corp_notifier_events_total", ("type", "BalanceChanged"), ("outcome", "processed")).Sum(s => s.Value).ShouldBeGreaterThanOrEqualTo(1);
        scrape.Of("corp_notifier_events_received_total", ("type", "BalanceChanged")).Sum(s => s.Value).ShouldBeGreaterThanOrEqualTo(1);
        scrape.Of("corp_notifier_letters_total", ("kind", "LowBalanceNotice"), ("outcome", "created")).ShouldNotBeEmpty();
        scrape.Of("corp_notifier_letters_total", ("kind", "LowBalanceNotice"), ("outcome", "sent")).ShouldNotBeEmpty();
        scrape.Of("corp_notifier_letters_lateness_seconds_count", ("kind", "LowBalanceNotice")).ShouldNotBeEmpty();
        scrape.Of("corp_notifier_letters_lateness_seconds_bucket", ("kind", "LowBalanceNotice"), ("le", "+Inf")).ShouldNotBeEmpty();
        scrape.Of("corp_notifier_letters_lateness_seconds_bucket", ("kind", "LowBalanceNotice"), ("le", "0.5")).ShouldNotBeEmpty(); // its own buckets, finer than the default ones
    }

    [Fact]
    public async Task The_endpoint_is_anonymous_and_outside_the_openapi_document()
    {
        using var client = scraped.Host.CreateClient();
        (await client.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = await client.GetStringAsync("/openapi/v1.json");
        document.ShouldNotContain("\"/metrics\"");
    }

    [Fact]
    public async Task Switched_off_there_is_no_endpoint()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Telemetry:Prometheus"] = "false" });
        using var client = host.CreateClient();
        (await client.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

/// <summary>
/// The due-letter gauges show a letter whose send_at passed and that nobody sent: the sweeper runs
/// once at start and then only hourly, and the clock moves past the letter's send_at.
/// </summary>
[Collection(PrometheusScrapes.Name)]
public sealed class DueLetterGaugeTests
{
    [Fact]
    public async Task A_due_letter_nobody_sent_shows_in_the_count_and_the_age()
    {
        using var host = new TestHost(new Dictionary<string, string?>
        {
            ["Dispatch:Interval"] = "01:00:00",
            ["Telemetry:DueLettersSampleInterval"] = "00:00:00.200",
        });
        _ = host.Meter; // listening before the host starts: its first sweep is counted
        await host.PostAndWaitAsync(host.Events.Profile("client-1"));

        // The sweep at start is over (on a busy machine it can come late): the next is an hour away.
        await host.Meter.WaitForAsync("corp_notifier.sweeper.runs", 1);
        var before = await PrometheusScrape.WaitForAsync(host, s => s.Names.Contains("corp_notifier_due_letters"), "the first reading");
        before.Of("corp_notifier_due_letters").ShouldHaveSingleItem().Value.ShouldBe(0);
        before.Of("corp_notifier_oldest_due_letter_age_seconds").ShouldHaveSingleItem().Value.ShouldBe(0);

        using var client = host.Client(Roles.Operator);
        using var response = await client.PostAsJsonAsync("/api/v1/clients/client-1/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "k-1",
            args = new { old_balance = "150", new_balance = "5", currency = "RUB" },
            sendAt = host.Clock.GetUtcNow().AddMinutes(10),
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        host.Clock.Advance(TimeSpan.FromHours(1));

        var after = await PrometheusScrape.WaitForAsync(
            host,
            s => s.Of("corp_notifier_due_letters").Any(g => g.Value == 1),
            "the due letter to be counted");
        after.Of("corp_notifier_oldest_due_letter_age_seconds").ShouldHaveSingleItem().Value.ShouldBeGreaterThanOrEqualTo(50 * 60);
    }
}
