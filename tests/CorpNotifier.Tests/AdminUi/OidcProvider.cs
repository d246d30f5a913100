using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>A person known to the <see cref="OidcProvider"/>.</summary>
public sealed record ProviderAccount(string Subject, string Name, params string[] Roles)
{
    /// <summary>The roles left out of the ID token and given by the user-info endpoint only, as some providers are set up.</summary>
    public bool RolesInUserInfoOnly { get; init; }
}

/// <summary>
/// A real OpenID Connect provider (OpenIddict) on loopback, in the test process: discovery, JWKS,
/// the authorization endpoint, the token endpoint (authorization code with PKCE only) and user-info.
/// One confidential client is registered. There is no login form: the authorization endpoint signs
/// in <see cref="NextUser"/>, the account the test chose, as a provider would after a successful login.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "corp-notifier-console";
    public const string ClientSecret = "console-secret-for-tests";

    /// <summary>The claim that carries the roles, one claim per role.</summary>
    public const string RoleClaim = "roles";

    private readonly WebApplication _app;
    private readonly SqliteConnection _store;

    private OidcProvider(WebApplication app, SqliteConnection store, Uri issuer)
    {
        _app = app;
        _store = store;
        Issuer = issuer;
    }

    /// <summary>The provider's issuer, as its discovery document states it (with the trailing slash).</summary>
    public Uri Issuer { get; }

    /// <summary>The account the authorization endpoint signs in next; none: the request is refused (access_denied).</summary>
    public ProviderAccount? NextUser { get; set; }

    /// <summary>Starts the provider on a free loopback port, with the client registered for <paramref name="redirectUri"/>.</summary>
    public static async Task<OidcProvider> StartAsync(Uri redirectUri)
    {
        // An in-memory database lives as long as its first connection: kept open until disposal.
        var store = new SqliteConnection("Data Source=:memory:");
        await store.OpenAsync();

        // An empty builder: no appsettings.json or environment variable of the test's folder reaches this host.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        builder.Services.AddDbContext<ProviderDbContext>(db => db.UseSqlite(store).UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.PreferredUsername, RoleClaim);
                server.AddEphemeralSigningKey().AddEphemeralEncryptionKey();
                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();
            });

        var app = builder.Build();
        OidcProvider? provider = null;
        app.UseRouting();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => provider!.Authorize(context));
        app.MapMethods("/connect/userinfo", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)UserInfoAsync);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDbContext>().Database.EnsureCreatedAsync();
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "corp-notifier console",
                RedirectUris = { redirectUri },
                Permissions =
                {
                    Permissions.Endpoints.Authorization,
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile,
                    Permissions.Scopes.Email,
                    Permissions.Scopes.Roles,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider = new OidcProvider(app, store, new Uri(address.TrimEnd('/') + "/"));
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>The login a real provider would ask for, already done: <see cref="NextUser"/> is signed in.</summary>
    private IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (NextUser is not { } account)
        {
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "No account signed in at the provider.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, RoleClaim);
        identity.AddClaim(Claims.Subject, account.Subject);
        identity.AddClaim(Claims.Name, account.Name);
        identity.AddClaim(Claims.PreferredUsername, account.Name);
        foreach (var role in account.Roles)
        {
            identity.AddClaim(RoleClaim, role);
        }

        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(claim => claim.Type == RoleClaim && account.RolesInUserInfoOnly
            ? [Destinations.AccessToken]
            : [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The account's claims, read from the access token OpenIddict has already validated.</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("The access token was not validated.");
        return Results.Json(new Dictionary<string, object?>
        {
            [Claims.Subject] = principal.GetClaim(Claims.Subject),
            [Claims.Name] = principal.GetClaim(Claims.Name),
            [Claims.PreferredUsername] = principal.GetClaim(Claims.PreferredUsername),
            [RoleClaim] = principal.GetClaims(RoleClaim),
        });
    }

    private sealed class ProviderDbContext(DbContextOptions<ProviderDbContext> options) : DbContext(options);
}
