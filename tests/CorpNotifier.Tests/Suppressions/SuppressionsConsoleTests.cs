using System.Net;
using System.Text.RegularExpressions;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Deliveries;
using CorpNotifier.Suppressions;
using CorpNotifier.Tests.AdminUi;
using CorpNotifier.Tests.Integration;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>The console's suppressions page (admins add and remove, viewers read) and the attention page's unreachable clients.</summary>
public sealed partial class SuppressionsConsoleTests(SuppressionHost fixture) : IClassFixture<SuppressionHost>
{
    [Fact]
    public async Task An_admin_adds_an_address_with_a_note_sees_it_listed_and_removes_it_each_audited()
    {
        using var browser = ConsoleBrowser.Open(fixture.Host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Admin));
        var page = await browser.GetStringAsync("/admin/suppressions");
        page.ShouldContain("Suppress an address");

        using var added = await ConsoleBrowser.PostFormAsync(browser, "/admin/suppressions/add", ConsoleBrowser.Token(page), new Dictionary<string, string>
        {
            ["address"] = "Console@Ui1.example",
            ["note"] = "the client asked by phone",
            ["clientId"] = "ui-1",
        });
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var entry = await fixture.Host.WithDbAsync(db => db.Suppressions.AsNoTracking().SingleAsync(s => s.ClientId == "ui-1"));
        added.Headers.Location!.OriginalString.ShouldBe($"/admin/suppressions?done=added&id={entry.Id}");

        var listed = Text(await browser.GetStringAsync(added.Headers.Location.OriginalString));
        listed.ShouldContain($"Entry {entry.Id} added; the address gets no more letters.");
        listed.ShouldContain("console@ui1.example by an admin the client asked by phone — ui-1");

        var again = await browser.GetStringAsync("/admin/suppressions?client=ui-1");
        using var duplicate = await ConsoleBrowser.PostFormAsync(browser, "/admin/suppressions/add", ConsoleBrowser.Token(again), new Dictionary<string, string>
        {
            ["address"] = "console@UI1.example",
            ["note"] = "twice",
        });
        duplicate.Headers.Location!.OriginalString.ShouldBe($"/admin/suppressions?problem=duplicate&id={entry.Id}");

        using var removed = await ConsoleBrowser.PostFormAsync(browser, $"/admin/suppressions/{entry.Id}/remove", ConsoleBrowser.Token(again));
        removed.Headers.Location!.OriginalString.ShouldBe($"/admin/suppressions?done=removed&id={entry.Id}");
        (await fixture.Host.WithDbAsync(db => db.Suppressions.AnyAsync(s => s.ClientId == "ui-1"))).ShouldBeFalse();
        var actions = await fixture.Host.WithDbAsync(db => db.Audit.AsNoTracking()
            .Where(a => a.TargetType == SuppressionAudit.Target && a.Actor == "test-admin" && a.TargetId == entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        actions.ShouldBe([SuppressionAudit.Add, SuppressionAudit.Remove]);
    }

    [Fact]
    public async Task A_viewer_reads_the_list_without_forms_and_a_posted_form_is_refused_and_changes_nothing()
    {
        await fixture.ReportAsync(fixture.Report("ui-2", "bounced@ui2.example", DeliveryOutcome.HardBounce, "550 5.1.1 user unknown", noticeId: 77));
        using var browser = ConsoleBrowser.Open(fixture.Host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        var html = await browser.GetStringAsync("/admin/suppressions?client=ui-2");
        var text = Text(html);
        text.ShouldContain("bounced@ui2.example hard bounce 550 5.1.1 user unknown #77 ui-2");
        text.ShouldNotContain("Suppress an address");
        html.ShouldContain("href=\"/admin/letters/77\"");
        html.ShouldContain("href=\"/admin/clients/ui-2\"");
        html.ShouldNotContain("/remove\"");

        var entry = await fixture.Host.WithDbAsync(db => db.Suppressions.AsNoTracking().SingleAsync(s => s.ClientId == "ui-2"));
        using var refused = await ConsoleBrowser.PostFormAsync(browser, $"/admin/suppressions/{entry.Id}/remove", ConsoleBrowser.Token(html));
        refused.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        if (refused.StatusCode == HttpStatusCode.Redirect)
        {
            refused.Headers.Location!.OriginalString.ShouldContain("denied", Case.Insensitive);
        }

        (await fixture.Host.WithDbAsync(db => db.Suppressions.AnyAsync(s => s.Id == entry.Id))).ShouldBeTrue();
    }

    [Fact]
    public async Task A_form_posted_without_the_anti_forgery_token_is_refused()
    {
        using var browser = ConsoleBrowser.Open(fixture.Host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Admin));

        using var response = await ConsoleBrowser.PostFormAsync(browser, "/admin/suppressions/add", token: null, new Dictionary<string, string> { ["address"] = "forged@ui3.example", ["note"] = "n" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.Host.WithDbAsync(db => db.Suppressions.AnyAsync(s => s.Address == "forged@ui3.example"))).ShouldBeFalse();
    }

    [Fact]
    public async Task The_attention_page_lists_a_client_whose_every_address_is_suppressed_with_a_link_to_the_client()
    {
        await fixture.Host.PostAndWaitAsync(fixture.Host.Events.Profile("ui-4", ["only@ui4.example"]));
        await fixture.ReportAsync(fixture.Report("ui-4", "only@ui4.example", DeliveryOutcome.Complained));
        using var browser = ConsoleBrowser.Open(fixture.Host, "en");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        var html = await browser.GetStringAsync("/admin");

        Text(html).ShouldContain("Clients with no reachable address");
        html.ShouldContain("data-testid=\"unreachable-ui-4\"");
        html.ShouldContain("href=\"/admin/clients/ui-4\"");
        html.ShouldContain("href=\"/admin/suppressions?client=ui-4\"");
    }

    private static string Text(string html) => Spaces().Replace(Tags().Replace(WebUtility.HtmlDecode(html), " "), " ");

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
