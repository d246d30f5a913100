using System.Net;
using System.Text.RegularExpressions;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>
/// Sign-in to the console with a real OpenID Connect provider (<see cref="OidcProvider"/>): the test
/// is the browser, the service redeems the code at the provider over HTTP, and the provider's
/// account gets the highest console role in its <c>roles</c> claim, or no session at all.
/// </summary>
public sealed partial class ConsoleOidcSignInTests(ConsoleOidcSignInTests.Setup setup) : IClassFixture<ConsoleOidcSignInTests.Setup>
{
    /// <summary>
    /// The service's address as the browser sees it: HTTPS, since the sign-in's correlation and
    /// nonce cookies are marked Secure and a browser sends them back over HTTPS only.
    /// </summary>
    private static readonly Uri ServiceBase = new("https://localhost/");

    public sealed class Setup : IAsyncLifetime
    {
        public OidcProvider Provider { get; private set; } = null!;

        public TestHost Service { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Provider = await OidcProvider.StartAsync(new Uri(ServiceBase, "/admin/signin-oidc"));
            Service = new TestHost(new Dictionary<string, string?>
            {
                ["AdminUi:Oidc:Authority"] = Provider.Issuer.ToString(),
                ["AdminUi:Oidc:ClientId"] = OidcProvider.ClientId,
                ["AdminUi:Oidc:ClientSecret"] = OidcProvider.ClientSecret,
                ["AdminUi:Oidc:RequireHttpsMetadata"] = "false",
                ["AdminUi:Oidc:DisplayName"] = "Corp ID",
            });
        }

        public async Task DisposeAsync()
        {
            Service.Dispose();
            await Provider.DisposeAsync();
        }
    }

    private OidcProvider Provider => setup.Provider;

    private TestHost Service => setup.Service;

    [Fact]
    public async Task An_operator_account_signs_in_with_the_provider_and_gets_the_operator_role()
    {
        using var browser = Browser();

        var signedIn = await SignInAtProviderAsync(browser, new ProviderAccount("u-1", "olga.operator", Roles.Operator), "/admin/letters");

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldBe("/admin/letters");
        (await browser.GetStringAsync("/admin")).ShouldContain("<span data-testid=\"who\">olga.operator (operator)</span>");
        (await browser.GetAsync("/admin/send")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_viewer_account_signs_in_and_is_sent_to_the_explanation_for_an_operator_page()
    {
        using var browser = Browser();

        await SignInAtProviderAsync(browser, new ProviderAccount("u-2", "victor.viewer", Roles.Viewer), "/admin");

        (await browser.GetStringAsync("/admin")).ShouldContain("<span data-testid=\"who\">victor.viewer (viewer)</span>");
        var send = await browser.GetAsync("/admin/send");
        send.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        send.Headers.Location!.AbsolutePath.ShouldBe("/admin/denied");
    }

    [Fact]
    public async Task An_account_with_several_roles_gets_the_highest()
    {
        using var browser = Browser();

        await SignInAtProviderAsync(browser, new ProviderAccount("u-3", "anna.admin", Roles.Viewer, Roles.Admin), "/admin");

        (await browser.GetStringAsync("/admin")).ShouldContain("<span data-testid=\"who\">anna.admin (admin)</span>");
    }

    [Theory]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Viewer, Roles.Operator)]
    public async Task Roles_given_by_the_user_info_endpoint_only_count(params string[] roles)
    {
        using var browser = Browser();

        await SignInAtProviderAsync(browser, new ProviderAccount("u-5", "ursula.userinfo", roles) { RolesInUserInfoOnly = true }, "/admin");

        (await browser.GetStringAsync("/admin")).ShouldContain("<span data-testid=\"who\">ursula.userinfo (operator)</span>");
    }

    [Fact]
    public async Task An_account_without_a_console_role_is_refused_and_gets_no_session()
    {
        using var browser = Browser();

        var refused = await SignInAtProviderAsync(browser, new ProviderAccount("u-4", "sam.staff", "staff", Roles.Producer), "/admin/letters");

        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var back = refused.Headers.Location!;
        back.OriginalString.ShouldStartWith("/admin/signin?error=");
        var page = await browser.GetStringAsync(back);
        page.ShouldContain("sam.staff");
        page.ShouldContain("no console role in the claim &#x27;roles&#x27;");
        var home = await browser.GetAsync("/admin");
        home.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        home.Headers.Location!.AbsolutePath.ShouldBe("/admin/signin");
    }

    [Fact]
    public async Task The_sign_in_page_offers_the_provider_only_when_an_authority_is_configured()
    {
        using var browser = Browser();
        using var withoutOidc = new TestHost();
        using var otherBrowser = withoutOidc.CreateClient();

        var offered = await browser.GetStringAsync("/admin/signin?returnUrl=%2Fadmin%2Fletters");
        var notOffered = await otherBrowser.GetStringAsync("/admin/signin");

        offered.ShouldContain("href=\"/admin/signin-oidc-start?returnUrl=%2Fadmin%2Fletters\"");
        offered.ShouldContain("Sign in with Corp ID");
        notOffered.ShouldNotContain("signin-oidc-start");
        notOffered.ShouldNotContain("Sign in with");
    }

    [Fact]
    public void An_authority_without_a_client_id_stops_the_start_naming_the_key()
    {
        var failure = TestHost.StartFailure(new Dictionary<string, string?> { ["AdminUi:Oidc:Authority"] = "https://login.example.com/realms/corp" });

        failure.Failures.ShouldContain("AdminUi:Oidc:ClientId: is required when Authority is set");
    }

    private HttpClient Browser() =>
        Service.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ServiceBase, AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>
    /// The browser's round trip: the console's start address, the provider's authorization endpoint
    /// (which signs <paramref name="account"/> in), the provider's self-submitting form posted back
    /// to the console's callback. Returns the console's answer to that post.
    /// </summary>
    private async Task<HttpResponseMessage> SignInAtProviderAsync(HttpClient browser, ProviderAccount account, string returnUrl)
    {
        Provider.NextUser = account;

        var start = await browser.GetAsync("/admin/signin-oidc-start?returnUrl=" + Uri.EscapeDataString(returnUrl));
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var authorize = start.Headers.Location!;
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(new Uri(Provider.Issuer, "connect/authorize").ToString());
        authorize.Query.ShouldContain("code_challenge_method=S256");

        using var providerBrowser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true });
        using var answer = await providerBrowser.GetAsync(authorize);
        var page = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, page);

        var action = WebUtility.HtmlDecode(FormAction().Match(page).Groups[1].Value);
        action.ShouldBe(new Uri(ServiceBase, "/admin/signin-oidc").ToString());
        var fields = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields.ShouldContainKey("code");
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
