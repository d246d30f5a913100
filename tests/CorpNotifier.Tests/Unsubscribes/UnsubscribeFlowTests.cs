using System.Net;
using System.Net.Http.Json;
using CorpNotifier.Rules;
using CorpNotifier.Tests.Integration;
using CorpNotifier.Unsubscribes;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Unsubscribes;

/// <summary>
/// The whole way on the in-process host: an optional letter's link, the one-click POST, the page and
/// its undo, the next letters of the category skipped while mandatory ones still go out.
/// </summary>
public sealed class UnsubscribeFlowTests
{
    private const string ClientId = "client-42";
    private const string Address = "billing@acme.example";

    private static TestHost Host() => new(new Dictionary<string, string?> { ["Unsubscribe:BaseUrl"] = "https://notify.example" });

    private static async Task SeedAsync(TestHost host)
    {
        await host.PostAndWaitAsync(host.Events.Profile(ClientId, [Address]));
        await host.PostAndWaitAsync(host.Events.ContractResync(ClientId));
    }

    /// <summary>Sends a letter of <paramref name="kind"/> by hand and waits until it is done.</summary>
    private static async Task<Notice> SendAsync(TestHost host, string kind)
    {
        using var client = host.Client();
        object args = kind.StartsWith("LimitIsOver", StringComparison.Ordinal)
            ? new { contract_id = "contract-7", old_balance = "30", new_balance = "20", currency = "RUB" }
            : new { contract_id = "contract-7" };
        using var response = await client.PostAsJsonAsync($"/api/v1/clients/{ClientId}/notices", new { kind, contractId = "contract-7", args });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var notices = await Eventually.MatchAsync(
            () => host.NoticesAsync(ClientId),
            n => n.Single(x => x.Id == id).Status is not (NoticeStatus.Pending or NoticeStatus.Sending),
            $"{kind} {id} to be done");
        return notices.Single(x => x.Id == id);
    }

    private static MimeKit.MimeMessage LetterOf(TestHost host, Notice notice) =>
        MimeKit.MimeMessage.Load(host.Letters().Single(f => Path.GetFileName(f).StartsWith($"{notice.Id:D8}-", StringComparison.Ordinal)));

    private static string PathOf(string link) => new Uri(link).AbsolutePath;

    private static string LinkIn(MimeKit.MimeMessage letter) => letter.Headers["List-Unsubscribe"]!.Trim('<', '>');

    private static Task<List<Unsubscribe>> RowsAsync(TestHost host) =>
        host.WithDbAsync(db => db.Unsubscribes.AsNoTracking().ToListAsync());

    private static FormUrlEncodedContent Form(string name, string value) => new([new KeyValuePair<string, string>(name, value)]);

    [Fact]
    public async Task An_optional_letter_carries_the_one_click_headers_and_a_mandatory_letter_none()
    {
        using var host = Host();
        await SeedAsync(host);

        var reminder = await SendAsync(host, "FirstRemindPrepaidNotice");
        var limit = await SendAsync(host, "LimitIsOverNotice");

        reminder.Status.ShouldBe(NoticeStatus.Sent);
        var letter = LetterOf(host, reminder);
        letter.Headers["List-Unsubscribe"].ShouldStartWith("<https://notify.example/unsubscribe/");
        letter.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        limit.Status.ShouldBe(NoticeStatus.Sent);
        LetterOf(host, limit).Headers.Contains("List-Unsubscribe").ShouldBeFalse();
    }

    [Fact]
    public async Task A_one_click_post_stops_the_next_reminder_while_limit_is_over_still_goes_out()
    {
        using var host = Host();
        await SeedAsync(host);
        var first = await SendAsync(host, "FirstRemindPrepaidNotice");
        var link = LinkIn(LetterOf(host, first));

        using var anonymous = host.CreateClient();
        using (var response = await anonymous.PostAsync(PathOf(link), Form("List-Unsubscribe", "One-Click")))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A mail client may POST twice: the second changes nothing.
        using (var again = await anonymous.PostAsync(PathOf(link), Form("List-Unsubscribe", "One-Click")))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var row = (await RowsAsync(host)).ShouldHaveSingleItem();
        (row.Address, row.Category, row.Via, row.ClientId, row.NoticeId, row.Kind).ShouldBe((Address, "reminders", UnsubscribeVia.OneClick, ClientId, first.Id, "FirstRemindPrepaidNotice"));

        var next = await SendAsync(host, "SecondRemindPrepaidNotice");
        next.Status.ShouldBe(NoticeStatus.Rejected);
        next.ReasonCode.ShouldBe(ReasonCodes.Unsubscribed);
        var timeline = await host.WithDbAsync(db => db.Timeline.AsNoTracking().Where(t => t.NoticeId == next.Id).ToListAsync());
        timeline.ShouldContain(t => t.Type == TimelineEntryType.RecipientSkipped && t.Detail!.Contains("b***@acme.example skipped, unsubscribed"));

        var limit = await SendAsync(host, "LimitIsOverNotice");
        limit.Status.ShouldBe(NoticeStatus.Sent);
        limit.SentTo.ShouldBe([Address]);

        // Another optional category is not touched by this one.
        (await SendAsync(host, "PrepaidFirstTakeARideNotice")).ReasonCode.ShouldNotBe(ReasonCodes.Unsubscribed);
    }

    [Fact]
    public async Task The_page_unsubscribes_only_on_its_button_and_its_undo_subscribes_again()
    {
        using var host = Host();
        await SeedAsync(host);
        var link = LinkIn(LetterOf(host, await SendAsync(host, "FirstRemindPrepaidNotice")));
        using var anonymous = host.CreateClient();

        // A link scanner's GET changes nothing.
        using (var page = await anonymous.GetAsync(PathOf(link)))
        {
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
            var html = await page.Content.ReadAsStringAsync();
            html.ShouldContain("Отписаться");
            html.ShouldContain("name=\"action\" value=\"unsubscribe\"");
            html.ShouldNotContain(Address);
            page.Headers.CacheControl!.NoStore.ShouldBeTrue();
        }

        (await RowsAsync(host)).ShouldBeEmpty();

        using (var done = await anonymous.PostAsync(PathOf(link), Form("action", "unsubscribe")))
        {
            done.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await done.Content.ReadAsStringAsync()).ShouldContain("value=\"resubscribe\"");
        }

        (await RowsAsync(host)).ShouldHaveSingleItem().Via.ShouldBe(UnsubscribeVia.Page);
        (await SendAsync(host, "SecondRemindPrepaidNotice")).ReasonCode.ShouldBe(ReasonCodes.Unsubscribed);

        using (var undone = await anonymous.PostAsync(PathOf(link), Form("action", "resubscribe")))
        {
            undone.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await RowsAsync(host)).ShouldBeEmpty();
        (await SendAsync(host, "ThirdRemindPrepaidNotice")).Status.ShouldBe(NoticeStatus.Sent);
    }

    [Fact]
    public async Task The_page_speaks_english_to_an_english_letter()
    {
        using var host = Host();
        await host.PostAndWaitAsync(host.Events.Profile(ClientId, [Address], locale: "en"));
        await host.PostAndWaitAsync(host.Events.ContractResync(ClientId));
        var link = LinkIn(LetterOf(host, await SendAsync(host, "FirstRemindPrepaidNotice")));

        using var anonymous = host.CreateClient();
        var html = await anonymous.GetStringAsync(PathOf(link));
        html.ShouldContain("Unsubscribe");
        html.ShouldContain("lang=\"en\"");
    }

    [Fact]
    public async Task A_tampered_or_expired_token_gets_a_clear_400_page_and_changes_nothing()
    {
        using var host = Host();
        await SeedAsync(host);
        var path = PathOf(LinkIn(LetterOf(host, await SendAsync(host, "FirstRemindPrepaidNotice"))));
        var middle = path.Length - 20;
        var tampered = path[..middle] + (path[middle] == 'A' ? 'B' : 'A') + path[(middle + 1)..];
        using var anonymous = host.CreateClient();
        anonymous.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        using (var response = await anonymous.PostAsync(tampered, Form("List-Unsubscribe", "One-Click")))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).ShouldContain("This link is not valid");
        }

        using (var response = await anonymous.GetAsync(tampered))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        host.Clock.Advance(TimeSpan.FromDays(61));
        using (var response = await anonymous.PostAsync(path, Form("List-Unsubscribe", "One-Click")))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).ShouldContain("Ссылка устарела");
        }

        (await RowsAsync(host)).ShouldBeEmpty();
    }
}
