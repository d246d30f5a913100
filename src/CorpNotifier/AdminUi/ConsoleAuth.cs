using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CorpNotifier.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace CorpNotifier.AdminUi;

/// <summary>Section <c>AdminUi:Oidc</c>: sign-in with the company's identity provider. Off while <see cref="Authority"/> is empty.</summary>
public sealed class ConsoleOidcOptions : IValidatableObject
{
    /// <summary>The provider's issuer address, e.g. <c>https://login.example.com/realms/corp</c>.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries the person's role: <c>viewer</c>, <c>operator</c> or <c>admin</c> (the highest wins).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The button's caption on the sign-in page.</summary>
    public string DisplayName { get; set; } = "company account";

    /// <summary>Off only for a provider on loopback in tests; a real provider is reached over HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("must be an absolute address", [nameof(Authority)]);
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new ValidationResult("is required when Authority is set", [nameof(ClientId)]);
        }

        if (string.IsNullOrWhiteSpace(RoleClaim))
        {
            yield return new ValidationResult("is required when Authority is set", [nameof(RoleClaim)]);
        }
    }
}

/// <summary>Section <c>AdminUi</c>.</summary>
public sealed class AdminUiOptions
{
    /// <summary>How long a console session lasts without use.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    public ConsoleOidcOptions Oidc { get; set; } = new();
}

/// <summary>
/// How people sign in to the console: a cookie session, opened with a personal API key or by the
/// company's OpenID Connect provider. The session carries the same name and role claims as an API
/// key, so the console and the API share the roles, the policies and the audit's actor.
/// </summary>
public static class ConsoleAuth
{
    public const string CookieScheme = "Console";
    public const string OidcScheme = "ConsoleOidc";
    public const string CookieName = "corp-notifier-console";

    /// <summary>The console's policies: the API's, but met by the console's session only.</summary>
    public static class Policies
    {
        public const string Read = "console-read";
        public const string Operate = "console-operate";
        public const string Administer = "console-administer";
    }

    /// <summary>The roles that may use the console, lowest first; a producer key may not.</summary>
    public static readonly string[] ConsoleRoles = [Roles.Viewer, Roles.Operator, Roles.Admin];

    public static ClaimsPrincipal Principal(string name, string role, string method) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim("amr", method)],
            CookieScheme,
            ClaimTypes.Name,
            ClaimTypes.Role));

    public static IServiceCollection AddConsoleAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var ui = configuration.GetSection("AdminUi").Get<AdminUiOptions>() ?? new AdminUiOptions();
        var authentication = services.AddAuthentication().AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            // Lax, not Strict: the provider's redirect back after an OpenID Connect sign-in is a cross-site navigation.
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/admin";
            cookie.LoginPath = "/admin/signin";
            cookie.LogoutPath = "/admin/signout";
            cookie.AccessDeniedPath = "/admin/denied";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.ExpireTimeSpan = ui.SessionIdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                // A page opened by a role that may not see it leads to the explanation; an action
                // posted anyway is answered 403 itself.
                if (HttpMethods.IsGet(context.Request.Method))
                {
                    context.Response.Redirect(context.RedirectUri);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                }

                return Task.CompletedTask;
            };
        });

        if (ui.Oidc.Enabled)
        {
            authentication.AddOpenIdConnect(OidcScheme, ui.Oidc.DisplayName, oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.Authority = ui.Oidc.Authority;
                oidc.ClientId = ui.Oidc.ClientId;
                oidc.ClientSecret = ui.Oidc.ClientSecret;
                oidc.RequireHttpsMetadata = ui.Oidc.RequireHttpsMetadata;
                oidc.ResponseType = "code";
                oidc.UsePkce = true;
                oidc.SaveTokens = false;
                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = true;
                oidc.CallbackPath = "/admin/signin-oidc";
                oidc.SignedOutCallbackPath = "/admin/signout-oidc";
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                oidc.Scope.Add("profile");
                oidc.Scope.Add("email");
                oidc.Scope.Add("roles");
                oidc.ClaimActions.MapAll();
                // MapAll keeps a user-info array as one claim holding the array's JSON text; the role
                // claim is read one claim per value, as it is from the ID token.
                oidc.ClaimActions.MapJsonKey(ui.Oidc.RoleClaim, ui.Oidc.RoleClaim);
                // Once the ID token and the user-info answer are both in: the person's name and role only.
                oidc.Events.OnTicketReceived = context => ToConsolePrincipal(context, ui.Oidc.RoleClaim);
                oidc.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect("/admin/signin?error=" + Uri.EscapeDataString(context.Failure?.Message ?? "the sign-in failed"));
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        }

        // Every console cookie is Secure when the request was HTTPS at the edge: the session's and the
        // language's follow the request's scheme, which a known proxy's X-Forwarded-Proto sets
        // (Hosting/Proxies.cs); the anti-forgery cookie would otherwise never be Secure.
        services.Configure<AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, Policy(Roles.Viewer, Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Operate, Policy(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Administer, Policy(Roles.Admin));
        return services;
    }

    /// <summary>The role the provider's claims give, or null: the highest of viewer, operator, admin found in <paramref name="roleClaim"/>.</summary>
    public static string? RoleFrom(ClaimsPrincipal principal, string roleClaim)
    {
        var values = principal.FindAll(roleClaim)
            .SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return ConsoleRoles.LastOrDefault(values.Contains);
    }

    private static ILogger Logger(TicketReceivedContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleAuth));

    private static AuthorizationPolicy Policy(params string[] roles) =>
        new AuthorizationPolicyBuilder(CookieScheme).RequireAuthenticatedUser().RequireRole(roles).Build();

    /// <summary>Keeps the person's name and role only, as an API-key sign-in does; no token is kept in the cookie.</summary>
    private static Task ToConsolePrincipal(TicketReceivedContext context, string roleClaim)
    {
        if (context.Principal is not { } external)
        {
            return Task.CompletedTask;
        }

        var name = external.FindFirstValue("preferred_username") ?? external.FindFirstValue("name")
            ?? external.FindFirstValue("email") ?? external.FindFirstValue("sub") ?? "unknown";
        var role = RoleFrom(external, roleClaim);
        if (role is null)
        {
            // Not context.Fail(): a failure set here is not acted on, and the provider's principal
            // would be signed in as it is. Back to the sign-in page with the reason, and no session.
            var message = $"The account '{name}' has no console role in the claim '{roleClaim}' (viewer, operator or admin).";
            ConsoleLog.SignInRefused(Logger(context), $"provider account {Notices.EmailAddress.MaskAll(name)} has no console role");
            context.Response.Redirect("/admin/signin?error=" + Uri.EscapeDataString(message));
            context.HandleResponse();
            return Task.CompletedTask;
        }

        ConsoleLog.SignedIn(Logger(context), Notices.EmailAddress.MaskAll(name), role, "oidc");
        context.Principal = Principal(name, role, "oidc");
        return Task.CompletedTask;
    }
}
