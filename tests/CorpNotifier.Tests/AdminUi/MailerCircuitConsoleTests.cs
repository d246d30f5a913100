using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CorpNotifier.Auth;
using CorpNotifier.Mailers;
using CorpNotifier.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>
/// An open mailer circuit is shown where operators look: the attention page says until when the
/// mailer is not called and after how many failures, and <c>/health/ready</c> reports the mailer
/// Degraded while the instance stays ready (200) for events.
/// </summary>
public sealed partial class MailerCircuitConsoleTests
{
    [Fact]
    public async Task An_open_circuit_is_on_the_attention_page_and_degrades_readiness_without_taking_the_instance_out()
    {
        using var host = new TestHost(new Dictionary<string, string?>
        {
            ["MailerLimits:BreakAfterFailures"] = "2",
            ["MailerLimits:BreakFor"] = "00:10:00",
        });
        using var browser = ConsoleBrowser.Open(host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));
        Text(await browser.GetStringAsync("/admin")).ShouldNotContain("The mailer is not called");
        using (var ready = await host.CreateClient().GetAsync("/health/ready"))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.OK);
            Check(await ready.Content.ReadAsStringAsync(), "mailer").GetProperty("status").GetString().ShouldBe("Healthy");
        }

        var gate = host.Services.GetRequiredService<MailerGate>();
        var at = host.Clock.GetUtcNow();
        gate.Breaker.Record(new MailResult.Transient("Sender answered 500: down for billing@acme.example"), at);
        gate.Breaker.Record(new MailResult.Transient("Sender answered 500: down for billing@acme.example"), at);

        var home = Text(await browser.GetStringAsync("/admin"));
        home.ShouldContain($"The mailer is not called until {at.AddMinutes(10).UtcDateTime:HH:mm:ss} UTC: 2 failures in a row.");
        home.ShouldContain("Last error: Sender answered 500: down for");
        home.ShouldNotContain("billing@acme.example");
        using (var ready = await host.CreateClient().GetAsync("/health/ready"))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await ready.Content.ReadAsStringAsync();
            JsonDocument.Parse(body).RootElement.GetProperty("status").GetString().ShouldBe("Degraded");
            var mailer = Check(body, "mailer");
            mailer.GetProperty("status").GetString().ShouldBe("Degraded");
            mailer.GetProperty("description").GetString()!.ShouldContain("after 2 failures in a row");
        }
    }

    private static JsonElement Check(string body, string name) =>
        JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty(name).Clone();

    private static string Text(string html) =>
        Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ");

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
