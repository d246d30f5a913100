using System.Net;
using CorpNotifier.Auth;
using CorpNotifier.Tests.AdminUi;
using CorpNotifier.Tests.Integration;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Tests.Auth;

/// <summary>
/// Brute-force limits over HTTP, on the default limit (20 failures a minute per address): a caller
/// that used up its failures is answered 429 before its key is read, on the API and on the console's
/// sign-in form; callers elsewhere and successful calls are untouched. Each test uses its own addresses.
/// </summary>
public sealed class SignInLimitsTests(SignInLimitsTests.Host host) : IClassFixture<SignInLimitsTests.Host>
{
    public const int PrefixLimit = 30;

    public sealed class Host : IDisposable
    {
        public EdgeHost Value { get; } = new(new Dictionary<string, string?> { ["Auth:Limits:PrefixPermitLimit"] = PrefixLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        public void Dispose() => Value.Dispose();
    }

    private const string Protected = "/api/v1/audit";
    private static readonly int Limit = new SignInLimitsOptions().PermitLimit;

    private EdgeHost Edge => host.Value;

    [Fact]
    public async Task Two_hundred_wrong_keys_from_one_address_are_refused_with_429_after_the_limit_and_the_right_key_elsewhere_works_at_once()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 200; i++)
        {
            using var guesser = Edge.From("203.0.113.10", WrongKey());
            var response = await guesser.GetAsync(Protected);
            statuses.Add(response.StatusCode);
            refused ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        statuses.Take(Limit).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Skip(Limit).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        refused!.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Too many failed attempts");

        using var elsewhere = Edge.From("198.51.100.20", TestHost.KeyOf(Roles.Viewer));
        using var answered = await elsewhere.GetAsync(Protected);
        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        answered.Headers.RetryAfter.ShouldBeNull();
    }

    [Fact]
    public async Task The_right_key_from_a_blocked_address_is_refused_unread_until_the_window_ends()
    {
        for (var i = 0; i < Limit; i++)
        {
            using var guesser = Edge.From("203.0.113.11", WrongKey());
            (await guesser.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var rightKey = Edge.From("203.0.113.11", TestHost.KeyOf(Roles.Viewer));
        using var response = await rightKey.GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task Successful_calls_take_nothing_from_the_limit()
    {
        const string address = "203.0.113.12";
        for (var i = 0; i < Limit - 1; i++)
        {
            using var guesser = Edge.From(address, WrongKey());
            (await guesser.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var producer = Edge.From(address, TestHost.KeyOf(Roles.Viewer)))
        {
            for (var i = 0; i < 3 * Limit; i++)
            {
                (await producer.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }

        using var last = Edge.From(address, WrongKey());
        (await last.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the last failure the window allows");
        using var over = Edge.From(address, WrongKey());
        (await over.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Wrong_keys_sharing_a_prefix_from_many_addresses_close_that_prefix_only()
    {
        var prefix = "pfx" + Guid.NewGuid().ToString("N")[..5];
        for (var i = 0; i < PrefixLimit; i++)
        {
            using var guesser = Edge.From($"192.0.2.{i + 1}", prefix + Guid.NewGuid().ToString("N"));
            (await guesser.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var samePrefix = Edge.From("192.0.2.200", prefix + "anything-else");
        using var otherPrefix = Edge.From("192.0.2.200", TestHost.KeyOf(Roles.Viewer));

        (await samePrefix.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await otherPrefix.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Wrong_keys_on_the_sign_in_form_are_refused_with_429_after_the_limit_and_the_right_key_elsewhere_signs_in()
    {
        using var guesser = Edge.From("203.0.113.13", cookies: true);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < Limit + 10; i++)
        {
            var response = await ConsoleBrowser.SignInAsync(guesser, WrongKey());
            statuses.Add(response.StatusCode);
            refused ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        var rightKey = await ConsoleBrowser.SignInAsync(guesser, TestHost.KeyOf(Roles.Admin));
        using var person = Edge.From("198.51.100.21", cookies: true);
        var signedIn = await ConsoleBrowser.SignInAsync(person, TestHost.KeyOf(Roles.Admin));

        statuses.Take(Limit).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Skip(Limit).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        refused!.Headers.RetryAfter.ShouldNotBeNull();
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        page.ShouldContain("Too many failed sign-ins came from your address");
        page.ShouldContain("<header class=\"top\">", customMessage: "the console's layout");
        rightKey.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "the right key from the blocked address waits too");
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await person.GetStringAsync("/admin")).ShouldContain("test-admin (admin)");
    }

    [Fact]
    public async Task Each_failure_is_logged_at_warning_with_the_caller_s_address_and_never_the_key()
    {
        var key = WrongKey();
        using var guesser = Edge.From("203.0.113.14", key);
        (await guesser.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var console = Edge.From("203.0.113.15", cookies: true);
        var consoleKey = WrongKey();
        (await ConsoleBrowser.SignInAsync(console, consoleKey)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var warnings = Edge.Host.Logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        warnings.ShouldContain(m => m.Contains("203.0.113.14", StringComparison.Ordinal) && m.Contains("api", StringComparison.Ordinal));
        warnings.ShouldContain(m => m.Contains("203.0.113.15", StringComparison.Ordinal) && m.Contains("console", StringComparison.Ordinal));
        Edge.Host.Logs.Entries.ShouldNotContain(e => e.Message.Contains(key, StringComparison.Ordinal) || e.Message.Contains(consoleKey, StringComparison.Ordinal));
    }

    [Fact]
    public void An_ipv6_caller_is_counted_by_its_64_and_a_mapped_ipv4_one_as_ipv4()
    {
        static string Of(string address)
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            return SignInLimits.CallerAddress(context);
        }

        Of("2001:db8:1:2:aaaa:bbbb:cccc:dddd").ShouldBe("2001:db8:1:2::/64");
        Of("2001:db8:1:2::1").ShouldBe(Of("2001:db8:1:2:ffff::9"));
        Of("::ffff:203.0.113.9").ShouldBe("203.0.113.9");
        SignInLimits.CallerAddress(new Microsoft.AspNetCore.Http.DefaultHttpContext()).ShouldBe("unknown");
    }

    private static string WrongKey() => Guid.NewGuid().ToString("N");
}
