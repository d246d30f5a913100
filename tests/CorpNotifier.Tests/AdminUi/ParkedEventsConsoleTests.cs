using System.Net;
using System.Text.RegularExpressions;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Admin;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>
/// Parked events in the console over HTTP: the attention page's counts and most urgent events with
/// the client and what each lacks, the list, the event page's parked state, and its re-run and
/// discard — offered to operators only, refused to a viewer who posts anyway, checked against the
/// session's anti-forgery token, in English and in Russian.
/// </summary>
public sealed partial class ParkedEventsConsoleTests : OperatorsHostTest
{
    [Fact]
    public async Task The_attention_page_counts_waiting_and_expired_events_and_shows_each_with_its_client_and_what_it_lacks()
    {
        var now = Host.Clock.GetUtcNow();
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-7", eventId: "b-waiting"), receivedAt: now.AddHours(-2));
        await Host.ParkAsync(Host.Events.Balance("client-2", 150, 50, "c-9", eventId: "b-expired"), EventStatus.Expired, receivedAt: now.AddDays(-8));
        using var browser = ConsoleBrowser.Open(Host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        var home = await browser.GetStringAsync("/admin");
        var list = Text(await browser.GetStringAsync("/admin/events?status=waiting"));
        using var bad = await browser.GetAsync("/admin/events?status=processed");

        Section(home, "waiting-count").ShouldContain("1");
        Section(home, "expired-count").ShouldContain("1");
        var waiting = Text(Section(home, "waiting-events"));
        waiting.ShouldContain("b-waiting client-1 BalanceChanged contract c-7");
        waiting.ShouldContain(UiTextMoment(now.AddHours(-2).AddDays(7)), customMessage: "when it expires");
        Text(Section(home, "expired-events")).ShouldContain("b-expired client-2 BalanceChanged contract c-9");
        home.ShouldContain("href=\"/admin/clients/client-1\"");
        home.ShouldContain("href=\"/admin/events/b-waiting\"");
        list.ShouldContain("b-waiting");
        list.ShouldNotContain("b-expired");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_viewer_sees_the_parked_state_but_is_offered_no_action_and_is_refused_one_posted_anyway()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-7", eventId: "b-1"));
        using var browser = ConsoleBrowser.Open(Host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        var page = await browser.GetStringAsync("/admin/events/b-1");
        var rerun = await ConsoleBrowser.PostFormAsync(browser, "/admin/events/b-1/rerun", ConsoleBrowser.Token(page));
        var discard = await ConsoleBrowser.PostFormAsync(browser, "/admin/events/b-1/discard", ConsoleBrowser.Token(page));

        Text(page).ShouldContain("Waits for contract c-7");
        page.ShouldNotContain("/admin/events/b-1/rerun");
        page.ShouldNotContain("confirm=discard");
        rerun.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        discard.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Host.EventRowAsync("b-1")).Status.ShouldBe(EventStatus.Waiting);
    }

    [Fact]
    public async Task An_operator_re_runs_from_the_event_page_hears_the_data_is_still_missing_and_later_sees_it_run()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, eventId: "b-1"), EventStatus.Expired);
        using var browser = ConsoleBrowser.Open(Host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Operator));

        var page = await browser.GetStringAsync("/admin/events/b-1");
        var early = await ConsoleBrowser.PostFormAsync(browser, "/admin/events/b-1/rerun", ConsoleBrowser.Token(page));
        var refused = Text(await browser.GetStringAsync(early.Headers.Location!.OriginalString));
        await Host.PostAndWaitAsync(Host.Events.ContractResync("client-1"));
        var ran = await ConsoleBrowser.PostFormAsync(browser, "/admin/events/b-1/rerun", ConsoleBrowser.Token(page));
        var done = Text(await browser.GetStringAsync(ran.Headers.Location!.OriginalString));

        early.Headers.Location!.OriginalString.ShouldBe("/admin/events/b-1?problem=still_missing");
        refused.ShouldContain($"contract {TestEvents.DefaultContractId} is still not known: the event stays expired.");
        ran.Headers.Location!.OriginalString.ShouldBe("/admin/events/b-1?done=rerun");
        done.ShouldContain("The event ran: its data has come.");
        done.ShouldContain("Status processed");
        done.ShouldContain("LowBalanceNotice", customMessage: "the letter it made");
        done.ShouldNotContain("Re-run now");
    }

    [Fact]
    public async Task An_operator_discards_after_confirming_and_a_post_without_the_session_s_token_changes_nothing()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-7", eventId: "b-1"));
        using var browser = ConsoleBrowser.Open(Host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Operator));

        var forged = await ConsoleBrowser.PostFormAsync(browser, "/admin/events/b-1/discard", token: null);
        var confirm = await browser.GetStringAsync("/admin/events/b-1?confirm=discard");
        var discarded = await ConsoleBrowser.PostFormAsync(browser, "/admin/events/b-1/discard", ConsoleBrowser.Token(confirm));

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Text(confirm).ShouldContain("Discard this event?");
        discarded.Headers.Location!.OriginalString.ShouldBe("/admin/events/b-1?done=discarded");
        Text(await browser.GetStringAsync("/admin/events/b-1?done=discarded")).ShouldContain("The event is discarded; it will not be processed.");
        (await Host.EventRowAsync("b-1")).Status.ShouldBe(EventStatus.Discarded);
        var audit = await ViewerApi.GetStringAsync("/api/v1/audit?targetType=event&targetId=b-1");
        audit.ShouldContain("\"action\":\"event.discard\"");
        audit.ShouldContain("\"actor\":\"test-operator\"");
    }

    [Fact]
    public async Task The_Russian_console_tells_parked_events_in_Russian()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-7", eventId: "b-1"));
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-8", eventId: "b-2"), EventStatus.Expired);
        using var browser = ConsoleBrowser.Open(Host, "ru");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Operator));

        var home = Text(await browser.GetStringAsync("/admin"));
        var page = Text(await browser.GetStringAsync("/admin/events/b-1"));
        var expired = Text(await browser.GetStringAsync("/admin/events/b-2"));
        var refused = Text(await browser.GetStringAsync("/admin/events/b-1?problem=still_missing"));
        var list = Text(await browser.GetStringAsync("/admin/events"));
        var client = Text(await browser.GetStringAsync("/admin/clients/client-1"));

        home.ShouldContain("События, ждущие данных");
        home.ShouldContain("договор c-7");
        page.ShouldContain("Ждёт данных");
        page.ShouldContain("Статус ждёт данных");
        page.ShouldContain("Запустить снова");
        page.ShouldContain("Результат ждёт: договор c-7");
        expired.ShouldContain("Результат не дождалось: договор c-8");
        refused.ShouldContain("договор c-7 всё ещё неизвестен: событие продолжает ждать.");
        list.ShouldContain("Отложенные события");
        client.ShouldContain("ждёт: договор c-7");
        foreach (var english in new[] { "waiting for", "Re-run", "Discard", "Waits for", "expired" })
        {
            (home + page + expired + refused + list).ShouldNotContain(english, Case.Sensitive, $"“{english}” left in English");
        }
    }

    private static string UiTextMoment(DateTimeOffset at) => CorpNotifier.AdminUi.UiText.Moment(at);

    /// <summary>The element with the test id, as markup (up to its closing tag of the same name, not nested).</summary>
    private static string Section(string html, string testId)
    {
        var match = Regex.Match(html, $"<(?<tag>\\w+)[^>]*data-testid=\"{testId}\"[^>]*>(?<body>.*?)</\\k<tag>>", RegexOptions.Singleline);
        match.Success.ShouldBeTrue($"no element {testId}");
        return match.Groups["body"].Value;
    }

    /// <summary>A page as a person reads it: its text, without tags, spaces collapsed.</summary>
    private static string Text(string html) =>
        Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ");
}
