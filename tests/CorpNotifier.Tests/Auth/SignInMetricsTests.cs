using System.Net;
using CorpNotifier.Auth;
using CorpNotifier.Tests.AdminUi;
using CorpNotifier.Tests.Hosting;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Auth;

/// <summary>Failed and refused keys in a <c>GET /metrics</c> scrape, by where they were presented.</summary>
[Collection(PrometheusScrapes.Name)]
public sealed class SignInMetricsTests
{
    [Fact]
    public async Task Failures_and_refusals_show_in_the_scrape_by_where()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Auth:Limits:PermitLimit"] = "3" });
        for (var i = 0; i < 4; i++)
        {
            using var guesser = host.CreateClient();
            guesser.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, Guid.NewGuid().ToString("N"));
            await guesser.GetAsync("/api/v1/audit");
        }

        using var browser = ConsoleBrowser.Open(host);
        var refused = await ConsoleBrowser.SignInAsync(browser, Guid.NewGuid().ToString("N"));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "the in-process client has no address: all its requests share one");
        var scrape = await PrometheusScrape.WaitForAsync(
            host,
            s => s.Of("corp_notifier_auth_throttled_total", ("where", "console")).Any(),
            "the refusals on /metrics");
        scrape.Of("corp_notifier_auth_failures_total", ("where", "api")).Sum(s => s.Value).ShouldBeGreaterThanOrEqualTo(3);
        scrape.Of("corp_notifier_auth_throttled_total", ("where", "api"), ("partition", "address")).Sum(s => s.Value).ShouldBeGreaterThanOrEqualTo(1);
        scrape.Of("corp_notifier_auth_throttled_total", ("where", "console"), ("partition", "address")).Sum(s => s.Value).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_console_failure_is_counted_as_console()
    {
        using var host = new TestHost();
        using var browser = ConsoleBrowser.Open(host);

        (await ConsoleBrowser.SignInAsync(browser, Guid.NewGuid().ToString("N"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var scrape = await PrometheusScrape.WaitForAsync(
            host,
            s => s.Of("corp_notifier_auth_failures_total", ("where", "console")).Any(),
            "the console's failure on /metrics");
        scrape.Of("corp_notifier_auth_failures_total", ("where", "console")).Sum(s => s.Value).ShouldBeGreaterThanOrEqualTo(1);
    }
}
