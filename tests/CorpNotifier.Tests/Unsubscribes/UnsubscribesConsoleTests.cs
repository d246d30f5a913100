using System.Net;
using System.Text.RegularExpressions;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Tests.AdminUi;
using CorpNotifier.Tests.Integration;
using CorpNotifier.Unsubscribes;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Unsubscribes;

/// <summary>The console's unsubscribes page: admins unsubscribe and subscribe again through the forms, audited, with clear refusals; viewers read only.</summary>
public sealed partial class UnsubscribesConsoleTests
{
    private const string Page = "/admin/unsubscribes";

    [Fact]
    public async Task An_admin_unsubscribes_an_address_with_a_reason_and_subscribes_it_again_each_audited_and_a_repeat_is_told()
    {
        using var host = new TestHost();
        using var browser = ConsoleBrowser.Open(host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Admin));
        var page = await browser.GetStringAsync(Page);
        page.ShouldContain("Unsubscribe an address");
        var token = ConsoleBrowser.Token(page);
        var change = new Dictionary<string, string> { ["address"] = " Billing@Acme.example ", ["category"] = "reminders", ["reason"] = "asked by phone, ticket 812", ["clientId"] = "client-42" };

        using var set = await ConsoleBrowser.PostFormAsync(browser, $"{Page}/unsubscribe", token, change);
        set.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        set.Headers.Location!.OriginalString.ShouldBe($"{Page}?done=unsubscribed&category=reminders&address=Billing@Acme.example");
        var listed = Text(await browser.GetStringAsync(set.Headers.Location.OriginalString));
        listed.ShouldContain("Billing@Acme.example is unsubscribed from reminders: letters of that category skip it now.");
        listed.ShouldContain("billing@acme.example reminders");
        listed.ShouldContain("admin test-admin client-42");
        var row = await host.WithDbAsync(db => db.Unsubscribes.AsNoTracking().SingleAsync());
        (row.Address, row.Category, row.Via, row.ClientId, row.Actor).ShouldBe(("billing@acme.example", "reminders", UnsubscribeVia.Operator, "client-42", "test-admin"));

        using var again = await ConsoleBrowser.PostFormAsync(browser, $"{Page}/unsubscribe", token, change);
        Text(await browser.GetStringAsync(again.Headers.Location!.OriginalString))
            .ShouldContain("Nothing changed: Billing@Acme.example is unsubscribed from reminders already.");

        using var undo = await ConsoleBrowser.PostFormAsync(browser, $"{Page}/resubscribe", token, new Dictionary<string, string> { ["address"] = "billing@acme.example", ["category"] = "reminders" });
        undo.Headers.Location!.OriginalString.ShouldBe($"{Page}?done=resubscribed&category=reminders&address=billing@acme.example");
        Text(await browser.GetStringAsync(undo.Headers.Location.OriginalString)).ShouldContain("billing@acme.example is subscribed to reminders again");
        (await host.WithDbAsync(db => db.Unsubscribes.CountAsync())).ShouldBe(0);

        using var undoAgain = await ConsoleBrowser.PostFormAsync(browser, $"{Page}/resubscribe", token, new Dictionary<string, string> { ["address"] = "billing@acme.example", ["category"] = "reminders" });
        Text(await browser.GetStringAsync(undoAgain.Headers.Location!.OriginalString)).ShouldContain("Nothing changed: billing@acme.example was not unsubscribed from reminders.");

        var audit = await host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.TargetType == UnsubscribeAudit.Target).OrderBy(a => a.Id).ToListAsync());
        audit.Select(a => (a.Action, a.Actor, a.TargetId)).ShouldBe([
            (UnsubscribeAudit.Unsubscribe, "test-admin", "b***@acme.example reminders"),
            (UnsubscribeAudit.Resubscribe, "test-admin", "b***@acme.example reminders")]);
        audit[0].After!.ShouldContain("asked by phone, ticket 812");
    }

    [Theory]
    [InlineData("money", "billing@acme.example", "Not unsubscribed: money is a mandatory category, its letters always go out. Optional ones are onboarding, reminders, trial_follow_ups.")]
    [InlineData("newsletters", "billing@acme.example", "Not unsubscribed: “newsletters” is not a category. Optional ones are onboarding, reminders, trial_follow_ups.")]
    [InlineData("reminders", "not an address", "Nothing changed: the address is not an email address (name@example.com).")]
    public async Task A_refused_change_says_why_and_changes_nothing(string category, string address, string message)
    {
        using var host = new TestHost();
        using var browser = ConsoleBrowser.Open(host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Admin));
        var token = ConsoleBrowser.Token(await browser.GetStringAsync(Page));

        using var refused = await ConsoleBrowser.PostFormAsync(browser, $"{Page}/unsubscribe", token, new Dictionary<string, string> { ["address"] = address, ["category"] = category, ["reason"] = "r" });

        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.OriginalString.ShouldNotContain("not%20an%20address");
        var html = await browser.GetStringAsync(refused.Headers.Location.OriginalString);
        html.ShouldContain("role=\"alert\"");
        Text(html).ShouldContain(message);
        (await host.WithDbAsync(db => db.Unsubscribes.CountAsync())).ShouldBe(0);
        (await host.WithDbAsync(db => db.Audit.CountAsync(a => a.TargetType == UnsubscribeAudit.Target))).ShouldBe(0);
    }

    [Fact]
    public async Task A_viewer_reads_without_forms_and_a_posted_form_is_refused_and_changes_nothing()
    {
        using var host = new TestHost();
        await host.WithDbAsync(async db =>
        {
            db.Unsubscribes.Add(new Unsubscribe { Address = "billing@acme.example", Category = "reminders", Via = UnsubscribeVia.OneClick, ClientId = "client-42" });
            return await db.SaveChangesAsync();
        });
        using var browser = ConsoleBrowser.Open(host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        var html = await browser.GetStringAsync(Page);
        Text(html).ShouldContain("billing@acme.example reminders");
        html.ShouldNotContain("Unsubscribe an address");
        html.ShouldNotContain("/resubscribe\"");
        html.ShouldNotContain("/unsubscribe\"");

        using var refused = await ConsoleBrowser.PostFormAsync(browser, $"{Page}/resubscribe", ConsoleBrowser.Token(html), new Dictionary<string, string> { ["address"] = "billing@acme.example", ["category"] = "reminders" });
        refused.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect, HttpStatusCode.BadRequest);
        if (refused.StatusCode == HttpStatusCode.Redirect)
        {
            refused.Headers.Location!.OriginalString.ShouldContain("denied", Case.Insensitive);
        }

        (await host.WithDbAsync(db => db.Unsubscribes.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task A_form_posted_without_the_anti_forgery_token_is_refused()
    {
        using var host = new TestHost();
        using var browser = ConsoleBrowser.Open(host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Admin));

        using var response = await ConsoleBrowser.PostFormAsync(browser, $"{Page}/unsubscribe", token: null, new Dictionary<string, string> { ["address"] = "forged@acme.example", ["category"] = "reminders" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.WithDbAsync(db => db.Unsubscribes.CountAsync())).ShouldBe(0);
    }

    private static string Text(string html) => Spaces().Replace(Tags().Replace(WebUtility.HtmlDecode(html), " "), " ");

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
