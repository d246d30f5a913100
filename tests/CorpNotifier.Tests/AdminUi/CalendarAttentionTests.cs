using System.Net;
using System.Text.RegularExpressions;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Contracts;
using CorpNotifier.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>
/// The attention page names the countries pending letters are planned for with no business calendar
/// (Monday to Friday is used), each with its number of pending letters, counted from the database; and
/// the letters list finds those letters by country.
/// </summary>
public sealed class CalendarAttentionTests
{
    [Fact]
    public async Task Pending_letters_of_a_country_with_no_calendar_are_counted_on_the_attention_page_and_listed_by_country()
    {
        using var host = new TestHost();
        await ActivateAsync(host, "client-uzb", "uzb", "Asia/Tashkent");
        await ActivateAsync(host, "client-rus", "rus", "Europe/Moscow");

        AttentionView attention;
        int pending;
        using (var scope = host.Services.CreateScope())
        {
            var queries = scope.ServiceProvider.GetRequiredService<NoticeQueries>();
            attention = await queries.AttentionAsync(CancellationToken.None);
            pending = (await queries.FindAsync(new NoticeFilter { ClientId = "client-uzb", Status = NoticeStatus.Pending }, CancellationToken.None)).Items.Count;
        }

        pending.ShouldBeGreaterThanOrEqualTo(2, "the activation plans the take-a-ride letters");
        attention.CountriesWithoutCalendar.ShouldBe([new UnknownCountryView("uzb", pending)], "Russia has a calendar; Uzbekistan has none");

        using var browser = ConsoleBrowser.Open(host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));
        var home = Text(await browser.GetStringAsync("/admin"));
        home.ShouldContain("Countries letters are planned for with no business calendar: Monday to Friday is used for them");
        home.ShouldContain($"uzb {pending}");
        home.ShouldContain("Add the country's calendar (or the missing year) on the calendars page");
        var html = await browser.GetStringAsync("/admin");
        html.ShouldContain("href=\"/admin/letters?status=pending&amp;country=uzb\"");

        html.ShouldContain("href=\"/admin/calendars/uzb\"");
        Text(await browser.GetStringAsync("/admin/calendars/uzb")).ShouldContain($"Business calendar of uzb, {host.Clock.GetUtcNow().Year}");
        var list = Text(await browser.GetStringAsync("/admin/calendars"));
        list.ShouldContain($"uzb none — no calendar: Monday to Friday is used — — — {pending}");
        using (var opened = await browser.GetAsync("/admin/calendars?country=UZB&year=2027"))
        {
            opened.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            opened.Headers.Location!.OriginalString.ShouldEndWith("/admin/calendars/uzb/2027");
        }

        var letters = Text(await browser.GetStringAsync("/admin/letters?status=pending&country=uzb"));
        letters.ShouldContain($"{pending} letters, newest first");
        letters.ShouldContain("client-uzb");
        letters.ShouldNotContain("client-rus");

        using var russian = ConsoleBrowser.Open(host, "ru");
        await ConsoleBrowser.SignInAsync(russian, TestHost.KeyOf(Roles.Viewer));
        Text(await russian.GetStringAsync("/admin")).ShouldContain("Страны, для которых письма планируются без производственного календаря");
        var year = Text(await russian.GetStringAsync("/admin/calendars/rus/2027"));
        year.ShouldContain("Производственный календарь rus, 2027");
        year.ShouldContain("Январь");
        year.ShouldContain("Менять календари могут только администраторы.");
    }

    [Fact]
    public async Task The_attention_page_says_nothing_of_calendars_when_every_pending_letter_s_country_has_one()
    {
        using var host = new TestHost();
        await ActivateAsync(host, "client-rus", "rus", "Europe/Moscow");

        using var browser = ConsoleBrowser.Open(host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));
        var response = await browser.GetAsync("/admin");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Text(await response.Content.ReadAsStringAsync()).ShouldNotContain("with no business calendar");
    }

    [Fact]
    public async Task A_calendar_edit_with_a_date_outside_its_year_is_answered_400_naming_the_line_and_saves_nothing()
    {
        using var host = new TestHost();
        using var browser = ConsoleBrowser.Open(host);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Admin));
        var page = await browser.GetStringAsync("/admin/calendars/uzb/2027");
        Text(page).ShouldContain("none: Monday to Friday is used");

        using var response = await ConsoleBrowser.PostFormAsync(browser, "/admin/calendars/uzb/2027", ConsoleBrowser.Token(page), new Dictionary<string, string>
        {
            ["_handler"] = "calendar",
            ["Form.Version"] = "0",
            ["Form.Source"] = "Labour Code of Uzbekistan",
            ["Form.DaysOff"] = "2027-03-21 Navruz\n\n2028-01-01 New Year",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var answer = Text(await response.Content.ReadAsStringAsync());
        answer.ShouldContain("The calendar was not saved: correct the fields marked below.");
        answer.ShouldContain("line 2: ");
        answer.ShouldContain("2028-01-01");
        Text(await browser.GetStringAsync("/admin/calendars/uzb/2027")).ShouldContain("none: Monday to Friday is used");
    }

    /// <summary>A client of <paramref name="country"/>, and its postpaid contract activated now: two take-a-ride letters pending.</summary>
    private static async Task ActivateAsync(TestHost host, string clientId, string country, string timeZone)
    {
        await host.PostAndWaitAsync(host.Events.Profile(clientId, [$"finance@{clientId}.example"]) with { TimeZone = timeZone, Country = country });
        var inactive = new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] };
        await host.PostAndWaitAsync(host.Events.Contract(clientId, inactive, inactive with { IsActive = true }, contractId: $"k-{clientId}"));
    }

    /// <summary>A page as a person reads it: its text, without tags, spaces collapsed.</summary>
    private static string Text(string html) =>
        Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ");
}
