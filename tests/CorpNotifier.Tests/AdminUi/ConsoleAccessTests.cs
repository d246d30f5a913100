using System.Net;
using System.Security.Claims;
using System.Text.Json;
using CorpNotifier.AdminUi;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>
/// The console over HTTP, on the embedded host: who may sign in, what each role may open and post,
/// the anti-forgery token on every action, the headers, and the API left as it was.
/// </summary>
public sealed class ConsoleAccessTests(ConsoleAccessTests.Host host) : IClassFixture<ConsoleAccessTests.Host>
{
    public sealed class Host : IDisposable
    {
        public TestHost Value { get; } = new();

        public void Dispose() => Value.Dispose();
    }

    private TestHost Service => host.Value;

    [Fact]
    public async Task A_visitor_without_a_session_is_sent_to_the_sign_in_page()
    {
        using var browser = Browser();

        var response = await browser.GetAsync("/admin/letters?q=x");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldBe("/admin/signin?returnUrl=%2Fadmin%2Fletters%3Fq%3Dx");
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Admin)]
    public async Task A_person_signs_in_with_a_personal_key_and_gets_its_role(string role)
    {
        using var browser = Browser();

        var signedIn = await SignInAsync(browser, TestHost.KeyOf(role), "/admin/letters");

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldEndWith("/admin/letters");
        var home = await browser.GetStringAsync("/admin");
        home.ShouldContain($"test-{role} ({role})");
    }

    [Fact]
    public async Task A_producer_key_or_an_unknown_key_opens_no_session()
    {
        using var browser = Browser();

        var producer = await SignInAsync(browser, TestHost.KeyOf(Roles.Producer));
        var unknown = await SignInAsync(browser, "not-a-key");

        producer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await producer.Content.ReadAsStringAsync()).ShouldContain("for sending events, not for the console");
        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_return_address_outside_the_console_is_not_followed()
    {
        using var browser = Browser();

        var signedIn = await SignInAsync(browser, TestHost.KeyOf(Roles.Viewer), "//evil.example/admin");

        signedIn.Headers.Location!.OriginalString.ShouldEndWith("/admin");
        AdminUiServiceCollectionExtensions.LocalPath("https://evil.example/admin").ShouldBe("/admin");
        AdminUiServiceCollectionExtensions.LocalPath("/admin\\..\\x").ShouldBe("/admin");
        AdminUiServiceCollectionExtensions.LocalPath("/admin/letters/4").ShouldBe("/admin/letters/4");
    }

    [Fact]
    public async Task A_viewer_is_offered_no_action_and_is_refused_one_posted_anyway()
    {
        var notice = await PendingLetterAsync("viewer-refused");
        using var browser = Browser();
        await SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        var page = await browser.GetStringAsync($"/admin/letters/{notice}");
        var cancel = await PostFormAsync(browser, $"/admin/letters/{notice}/cancel", Token(page));
        var send = await browser.GetAsync("/admin/send");

        page.ShouldNotContain("confirm=cancel");
        page.ShouldNotContain("/admin/send");
        cancel.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        send.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        send.Headers.Location!.AbsolutePath.ShouldBe("/admin/denied");
        (await StatusOfAsync(notice)).ShouldBe(NoticeStatus.Pending);
    }

    [Fact]
    public async Task An_operator_cancels_through_the_same_operation_as_the_API_and_it_is_audited()
    {
        var notice = await PendingLetterAsync("operator-cancels");
        using var browser = Browser();
        await SignInAsync(browser, TestHost.KeyOf(Roles.Operator));

        var confirm = await browser.GetStringAsync($"/admin/letters/{notice}?confirm=cancel");
        var cancelled = await PostFormAsync(browser, $"/admin/letters/{notice}/cancel", Token(confirm));

        cancelled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        cancelled.Headers.Location!.OriginalString.ShouldBe($"/admin/letters/{notice}?done=cancelled");
        (await StatusOfAsync(notice)).ShouldBe(NoticeStatus.Dequeued);
        var audit = await Service.Client(Roles.Viewer).GetStringAsync("/api/v1/audit");
        audit.ShouldContain($"\"targetId\":\"{notice}\"");
        audit.ShouldContain("\"actor\":\"test-operator\"");
    }

    [Fact]
    public async Task An_action_without_the_session_s_anti_forgery_token_changes_nothing()
    {
        var notice = await PendingLetterAsync("forged");
        using var browser = Browser();
        await SignInAsync(browser, TestHost.KeyOf(Roles.Admin));

        var withoutToken = await PostFormAsync(browser, $"/admin/letters/{notice}/cancel", token: null);

        withoutToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StatusOfAsync(notice)).ShouldBe(NoticeStatus.Pending);
    }

    [Fact]
    public async Task Console_pages_carry_a_strict_content_security_policy()
    {
        using var browser = Browser();

        var response = await browser.GetAsync("/admin/signin");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("default-src 'none'");
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldNotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_no_console_page()
    {
        var document = await Service.Client(Roles.Viewer).GetStringAsync("/openapi/v1.json");

        var paths = JsonDocument.Parse(document).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldNotBeEmpty();
        paths.ShouldAllBe(p => !p.StartsWith("/admin", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/admin/letters/999999", "No such letter")]
    [InlineData("/admin/events/never-received", "No event 'never-received' was ever received.")]
    [InlineData("/admin/settings/NoSuchNotice", "There is no notice kind 'NoSuchNotice'.")]
    [InlineData("/admin/errors/corp-notifier-events_error", "The service runs on the in-memory bus, which keeps no error queues")]
    public async Task A_page_of_something_that_is_not_there_says_so_inside_the_console_with_404(string path, string says)
    {
        using var browser = Browser();
        await SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        using var response = await browser.GetAsync(path);
        var page = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.ShouldContain("<header class=\"top\">", customMessage: "the console's layout");
        page.ShouldContain("test-viewer (viewer)");
        page.ShouldContain(says);
    }

    [Fact]
    public async Task The_console_links_its_own_icon_and_serves_it()
    {
        using var browser = Browser();

        var signIn = await browser.GetStringAsync("/admin/signin");
        using var icon = await browser.GetAsync("/favicon.svg");

        signIn.ShouldContain("<link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\"");
        icon.StatusCode.ShouldBe(HttpStatusCode.OK);
        icon.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        (await icon.Content.ReadAsStringAsync()).ShouldStartWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    }

    [Fact]
    public void The_role_of_a_provider_account_is_the_highest_console_role_in_its_claim()
    {
        static ClaimsPrincipal With(params string[] values) =>
            new(new ClaimsIdentity(values.Select(v => new Claim("roles", v)), "oidc"));

        ConsoleAuth.RoleFrom(With("viewer", "operator"), "roles").ShouldBe(Roles.Operator);
        ConsoleAuth.RoleFrom(With("staff admin"), "roles").ShouldBe(Roles.Admin);
        ConsoleAuth.RoleFrom(With("producer"), "roles").ShouldBeNull();
        ConsoleAuth.RoleFrom(With(), "roles").ShouldBeNull();
    }

    private HttpClient Browser() => ConsoleBrowser.Open(Service);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key, string? returnUrl = null) => ConsoleBrowser.SignInAsync(browser, key, returnUrl);

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, string? token) => ConsoleBrowser.PostFormAsync(browser, path, token);

    private static string? Token(string page) => ConsoleBrowser.Token(page);

    /// <summary>A letter due in a week, made through the API's manual send.</summary>
    private async Task<long> PendingLetterAsync(string clientId)
    {
        var body = $$"""{"kind":"LowBalanceNotice","contractId":"c-{{clientId}}","args":{"old_balance":150,"new_balance":40,"currency":"RUB"},"sendAt":"{{DateTimeOffset.UtcNow.AddDays(7):O}}"}""";
        var response = await Service.Client(Roles.Operator).PostAsync($"/api/v1/clients/{clientId}/notices", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    private Task<NoticeStatus> StatusOfAsync(long id) =>
        Service.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Notices.Where(n => n.Id == id).Select(n => n.Status)));
}
