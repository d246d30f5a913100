using System.Net;
using System.Text.RegularExpressions;
using CorpNotifier.AdminUi;
using CorpNotifier.Auth;
using CorpNotifier.Hosting;
using CorpNotifier.Tests.AdminUi;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Auth;

/// <summary>
/// Forwarded headers believed from the configured proxy only — its scheme makes the console's cookies
/// Secure, its client address is the one the limits count — and the security headers on the API,
/// <c>/docs</c>, health and metrics.
/// </summary>
public sealed partial class ProxyAndHeadersTests(ProxyAndHeadersTests.Host host) : IClassFixture<ProxyAndHeadersTests.Host>
{
    public const string Proxy = "10.20.30.40";

    public sealed class Host : IDisposable
    {
        public EdgeHost Value { get; } = new(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = Proxy,
            ["Auth:Limits:PermitLimit"] = "3",
        });

        public void Dispose() => Value.Dispose();
    }

    private const string Stranger = "198.51.100.77";
    private const string Spoofer = "198.51.100.88";

    private EdgeHost Edge => host.Value;

    [Fact]
    public async Task Behind_the_known_proxy_forwarding_https_the_console_s_cookies_are_secure()
    {
        using var browser = Edge.From(Proxy);
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.50");

        var (antiforgery, session) = await SignInWithCookiesAsync(browser);

        antiforgery.ShouldContain("secure", Case.Insensitive);
        session.ShouldStartWith(ConsoleAuth.CookieName + "=");
        session.ShouldContain("secure", Case.Insensitive);
        session.ShouldContain("httponly", Case.Insensitive);
    }

    [Fact]
    public async Task From_an_unknown_address_the_forwarded_scheme_is_ignored_and_the_cookies_are_not_secure()
    {
        using var browser = Edge.From("198.51.100.79");
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var (antiforgery, session) = await SignInWithCookiesAsync(browser);

        antiforgery.ShouldNotContain("secure", Case.Insensitive);
        session.ShouldNotContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task The_limits_count_the_forwarded_client_behind_the_known_proxy_and_the_direct_address_otherwise()
    {
        // Through the proxy: the client it names is blocked, another client through the same proxy is not.
        for (var i = 0; i < 4; i++)
        {
            using var guesser = Via(Proxy, forwardedFor: "192.0.2.61", WrongKey());
            await guesser.GetAsync("/api/v1/audit");
        }

        using var blocked = Via(Proxy, forwardedFor: "192.0.2.61", WrongKey());
        using var neighbour = Via(Proxy, forwardedFor: "192.0.2.62", WrongKey());
        (await blocked.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await neighbour.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // From an unknown address: X-Forwarded-For changes nothing, a new value each time does not escape the limit.
        for (var i = 0; i < 4; i++)
        {
            using var guesser = Via(Spoofer, forwardedFor: $"192.0.2.{100 + i}", WrongKey());
            await guesser.GetAsync("/api/v1/audit");
        }

        using var spoofing = Via(Spoofer, forwardedFor: "192.0.2.199", WrongKey());
        (await spoofing.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        Edge.Host.Logs.Entries.ShouldContain(e => e.Message.Contains($"from {Spoofer}", StringComparison.Ordinal));
        Edge.Host.Logs.Entries.ShouldNotContain(e => e.Message.Contains("from 192.0.2.1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/notices/999999")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health/live")]
    [InlineData("/metrics")]
    [InlineData("/favicon.svg")]
    public async Task API_answers_carry_the_security_headers(string path)
    {
        using var client = Edge.From(Stranger, TestHost.KeyOf(Roles.Viewer));

        using var response = await client.GetAsync(path);

        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "Referrer-Policy").ShouldBe("no-referrer");
        Header(response, "Content-Security-Policy").ShouldBe(SecurityHeaders.DefaultPolicy);
    }

    [Fact]
    public async Task A_refused_call_carries_them_too()
    {
        using var client = Edge.From("198.51.100.78");

        using var response = await client.GetAsync("/api/v1/audit");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "Content-Security-Policy").ShouldContain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task The_docs_page_s_policy_allows_its_own_scripts_and_styles_and_nothing_from_elsewhere()
    {
        using var client = Edge.From(Stranger);

        using var response = await client.GetAsync("/docs/");
        var page = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "Referrer-Policy").ShouldBe("no-referrer");
        var policy = Directives(Header(response, "Content-Security-Policy"));
        policy["default-src"].ShouldBe(["'none'"]);
        policy["frame-ancestors"].ShouldBe(["'none'"]);
        var nonce = policy["script-src"].Single(s => s.StartsWith("'nonce-", StringComparison.Ordinal))[7..^1];
        nonce.Length.ShouldBeGreaterThanOrEqualTo(16);
        policy["script-src"].ShouldContain("'self'");
        policy["style-src"].ShouldContain("'self'");
        policy["connect-src"].ShouldBe(["'self'"], "the OpenAPI document and 'try it' go to this service only");

        var scripts = ScriptTag().Matches(page).Select(m => m.Value).ToList();
        scripts.ShouldNotBeEmpty();
        scripts.ShouldAllBe(tag => tag.Contains($"nonce=\"{nonce}\""), "every script tag, inline or not, carries the response's nonce");
        SourceAttribute().Matches(page).Select(m => m.Groups[1].Value)
            .ShouldAllBe(src => !src.Contains("//"), "scripts and style sheets come from this origin");

        using var again = await client.GetAsync("/docs/");
        Directives(Header(again, "Content-Security-Policy"))["script-src"].ShouldNotContain($"'nonce-{nonce}'", "a nonce is used once");
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.300", "ForwardedHeaders:KnownProxies:0: '10.0.0.300' is not an IP address")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks:0: '10.0.0.0/33' is not a network in CIDR notation")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "ForwardedHeaders:KnownNetworks:0: '10.0.0.0' is not a network in CIDR notation")]
    [InlineData("ForwardedHeaders:ForwardLimit", "0", "ForwardedHeaders:ForwardLimit:")]
    [InlineData("Auth:Limits:PermitLimit", "0", "Auth:Limits:PermitLimit:")]
    [InlineData("Auth:Limits:Window", "00:00:00", "Auth:Limits:Window:")]
    public void A_bad_proxy_or_limit_setting_stops_the_start_naming_its_key(string key, string value, string message)
    {
        TestHost.StartFailure(new Dictionary<string, string?> { [key] = value }).Message.ShouldContain(message);
    }

    private HttpClient Via(string peer, string forwardedFor, string key)
    {
        var client = Edge.From(peer, key);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    /// <summary>Signs in as an operator with the cookies carried by hand, so each Set-Cookie is seen as the service wrote it.</summary>
    private static async Task<(string Antiforgery, string Session)> SignInWithCookiesAsync(HttpClient browser)
    {
        using var form = await browser.GetAsync("/admin/signin");
        var antiforgery = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("corp-notifier-console-af=", StringComparison.Ordinal));
        var page = await form.Content.ReadAsStringAsync();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = ConsoleBrowser.Token(page)!,
                ["Form.ApiKey"] = TestHost.KeyOf(Roles.Operator),
                ["Form.ReturnUrl"] = "/admin",
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signedIn = await browser.SendAsync(post);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleAuth.CookieName + "=", StringComparison.Ordinal));
        return (antiforgery, session);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new ShouldAssertException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri} has no {name} header");

    private static Dictionary<string, string[]> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..]);

    private static string WrongKey() => Guid.NewGuid().ToString("N");

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex SourceAttribute();
}
