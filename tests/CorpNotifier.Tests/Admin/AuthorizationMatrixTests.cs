using System.Net;
using System.Net.Http.Json;
using System.Text;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>Every endpoint × every role: anonymous gets 401, a role without the right 403, a role with it neither.</summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Host host) : IClassFixture<AuthorizationMatrixTests.Host>
{
    public sealed class Host : IDisposable
    {
        public TestHost Value { get; } = new();

        public void Dispose() => Value.Dispose();
    }

    private const string Anonymous = "anonymous";
    private static readonly string[] Readers = [Roles.Viewer, Roles.Operator, Roles.Admin];
    private static readonly string[] Operators = [Roles.Operator, Roles.Admin];
    private static readonly string[] Admins = [Roles.Admin];
    private static readonly string[] Producers = [Roles.Producer, Roles.Admin];
    private static readonly string[] Everyone = [Anonymous, .. Roles.All];

    private const string Event = """{"eventId":"matrix-1","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c-1","data":{"orderId":"o-1","service":"taxi"}}""";
    private const string Settings = """{"enabled":true,"mode":"Live","offset":"00:00:00","slugs":{"default":"low-balance"},"extraRecipients":{}}""";
    private const string Simulation = """{"client":{"emails":[]},"events":[{"eventId":"s-1","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c-1","data":{"orderId":"o","service":"taxi"}}]}""";

    /// <summary>method, path, body, the roles allowed.</summary>
    public static TheoryData<string, string, string?, string[]> Endpoints => new()
    {
        { "POST", "/api/v1/events", Event, Producers },
        { "GET", "/api/v1/notices", null, Readers },
        { "GET", "/api/v1/notices/1", null, Readers },
        { "GET", "/api/v1/clients/c-1/notices", null, Readers },
        { "GET", "/api/v1/clients/c-1/agenda?days=7", null, Readers },
        { "GET", "/api/v1/events/matrix-1", null, Readers },
        { "GET", "/api/v1/events?status=waiting", null, Readers },
        { "GET", "/api/v1/audit", null, Readers },
        { "GET", "/api/v1/settings/notices", null, Readers },
        { "GET", "/api/v1/settings/notices/LowBalanceNotice", null, Readers },
        { "GET", "/api/v1/settings/notices/LowBalanceNotice/history", null, Readers },
        { "GET", "/api/v1/reports/would-send?from=2026-11-01&to=2026-11-02", null, Readers },
        { "GET", "/api/v1/reports/would-send/letters.csv?day=2026-11-01", null, Readers },
        { "POST", "/api/v1/simulate", Simulation, Readers },
        { "DELETE", "/api/v1/notices/999999", null, Operators },
        { "POST", "/api/v1/notices/999999/restore", null, Operators },
        { "POST", "/api/v1/notices/999999/resend", null, Operators },
        { "POST", "/api/v1/clients/c-1/notices", """{"kind":"NoSuchNotice"}""", Operators },
        { "POST", "/api/v1/events/matrix-none/rerun", null, Operators },
        { "POST", "/api/v1/events/matrix-none/discard", null, Operators },
        { "PUT", "/api/v1/settings/notices/LowBalanceNotice", Settings, Admins },
        { "GET", "/api/v1/unsubscribes?clientId=c-1", null, Readers },
        { "PUT", "/api/v1/unsubscribes", """{"address":"a@b.example","category":"money"}""", Admins },
        { "POST", "/api/v1/unsubscribes/resubscribe", """{"address":"a@b.example","category":"money"}""", Admins },
        { "GET", "/unsubscribe/not-a-token", null, Everyone },
        { "GET", "/api/v1/schemas/BalanceChanged", null, Everyone },
        { "GET", "/health/live", null, Everyone },
        { "GET", "/health/ready", null, Everyone },
        { "GET", "/openapi/v1.json", null, Everyone },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_role_gets_exactly_the_rights_it_has(string method, string path, string? body, string[] allowed)
    {
        foreach (var role in Everyone)
        {
            using var client = role == Anonymous ? host.Value.CreateClient() : host.Value.Client(role);
            if (role == Anonymous)
            {
                client.DefaultRequestHeaders.Remove(ApiKeyAuthenticationHandler.Header);
            }

            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            if (method == "PUT")
            {
                request.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
            }

            using var response = await client.SendAsync(request);
            var status = response.StatusCode;
            if (allowed.Contains(role))
            {
                status.ShouldNotBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], $"{role} {method} {path}");
            }
            else
            {
                status.ShouldBe(role == Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, $"{role} {method} {path}");
                response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            }
        }
    }

    [Fact]
    public async Task An_unknown_key_is_refused_with_401()
    {
        using var client = host.Value.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, "not-a-configured-key");
        using var response = await client.GetAsync("/api/v1/notices");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail!.ShouldContain("X-Api-Key");
    }

    [Fact]
    public void Keys_are_configured_as_hashes_and_a_bad_entry_names_its_key()
    {
        using var bad = new TestHost(new Dictionary<string, string?> { ["Auth:ApiKeys:0:Sha256"] = "the-key-itself" });
        Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => bad.CreateClient())
            .Message.ShouldMatch(@"Auth:ApiKeys:\d+:Sha256: must be the key's SHA-256 as 64 hex characters");
    }

    [Fact]
    public void Without_configured_keys_an_admin_key_is_generated_for_the_run()
    {
        var registry = new ApiKeyRegistry(Microsoft.Extensions.Options.Options.Create(new AuthOptions()));
        registry.GeneratedKey.ShouldNotBeNullOrWhiteSpace();
        registry.Find(registry.GeneratedKey!).ShouldBe(("generated-admin", Roles.Admin));
        registry.Find("anything else").ShouldBeNull();
    }
}
