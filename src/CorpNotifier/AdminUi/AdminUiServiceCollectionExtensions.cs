using System.Reflection;
using CorpNotifier.AdminUi.Components;
using CorpNotifier.Hosting;
using Microsoft.AspNetCore.Authentication;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The operators' console at <c>/admin</c>: server-rendered Razor components over the same
/// application layer as the admin API (<see cref="Admin.NoticeQueries"/>, <see cref="Admin.NoticeOperations"/>,
/// <see cref="Admin.SettingsOperations"/>, <see cref="Admin.ErrorQueueOperations"/>, the simulator), with
/// the same roles and audit; the pages render its views and never touch the database themselves. No script runs in the pages: every action is a form with an
/// anti-forgery token, and the pages carry a strict Content-Security-Policy.
/// </summary>
public static class AdminUiServiceCollectionExtensions
{
    /// <summary>The pages' policy: nothing but this service's own style sheet, frames and forms.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    /// <summary>A rendered letter's frame: its inline styles and remote images, no script, no forms, its own origin.</summary>
    public const string PreviewSecurityPolicy =
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https: data:; frame-ancestors 'self'";

    public static IServiceCollection AddAdminUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<AdminUiOptions>("AdminUi");
        services.AddSectionOptions<ConsoleOidcOptions>("AdminUi:Oidc");
        services.AddConsoleAuth(configuration);
        services.AddRazorComponents();
        services.AddAntiforgery(options => options.Cookie.Name = "corp-notifier-console-af");
        services.AddHttpContextAccessor();
        services.AddScoped<UiText>();
        services.AddScoped<LetterPreviewer>();
        services.AddSingleton<PreviewStore>();
        return services;
    }

    public static WebApplication MapAdminUi(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/admin"))
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    if (!headers.ContainsKey("Content-Security-Policy"))
                    {
                        headers.ContentSecurityPolicy = ContentSecurityPolicy;
                        headers.XFrameOptions = "DENY";
                    }

                    // nosniff and the referrer rule come with every answer (Hosting/SecurityHeaders).
                    headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                });
            }

            await next(context);
        });
        app.UseAntiforgery();

        app.MapRazorComponents<App>().ExcludeFromDescription();
        app.MapGet(FaviconPath, Favicon).AllowAnonymous().ExcludeFromDescription();
        var console = app.MapGroup("/admin").ExcludeFromDescription();
        console.MapGet("/console.css", StyleSheet).AllowAnonymous();
        console.MapGet("/language/{language}", Language).AllowAnonymous();
        console.MapGet("/preview/{token}", Preview).RequireAuthorization(ConsoleAuth.Policies.Read);
        console.MapGet("/signin-oidc-start", StartOidc).AllowAnonymous();
        console.MapLetterActions();
        console.MapEventActions();
        console.MapErrorQueueActions();
        app.MapUnsubscribeConsoleActions();
        // Authorized as a session, so the anti-forgery token is checked against the person it was issued to.
        console.MapPost("/signout", SignOutAsync).RequireAuthorization(ConsoleAuth.Policies.Read).RequireAntiforgery();
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, ILoggerFactory loggers)
    {
        var result = await context.AuthenticateAsync(ConsoleAuth.CookieScheme);
        if (result.Principal?.Identity?.Name is { } name)
        {
            ConsoleLog.SignedOut(loggers.CreateLogger(typeof(ConsoleAuth)), name);
        }

        await context.SignOutAsync(ConsoleAuth.CookieScheme);
        return Results.LocalRedirect("/admin/signin");
    }

    /// <summary>The console's and the API reference's icon: a letter on the console's dark header colour.</summary>
    public const string FaviconPath = Admin.AdminServiceCollectionExtensions.FaviconPath;

    private const string FaviconSvg =
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#24292f"/>"""
        + """<rect x="5" y="8" width="22" height="16" rx="2" fill="#ffffff"/>"""
        + """<path d="M6 9.5l10 7.5 10-7.5" fill="none" stroke="#0a58ca" stroke-width="2.2" stroke-linejoin="round"/></svg>""";

    private static IResult Favicon(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Text(FaviconSvg, "image/svg+xml; charset=utf-8");
    }

    private static IResult StyleSheet(HttpContext context)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("console.css")!;
        using var reader = new StreamReader(stream);
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(reader.ReadToEnd(), "text/css; charset=utf-8");
    }

    /// <summary>The language switch: remembered for a year, then back to the page it was chosen on.</summary>
    private static IResult Language(string language, string? back, HttpContext context)
    {
        if (UiText.Languages.Contains(language))
        {
            context.Response.Cookies.Append(UiText.Cookie, language, new CookieOptions
            {
                Path = "/admin",
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromDays(365),
                Secure = context.Request.IsHttps,
            });
        }

        return Results.LocalRedirect(LocalPath(back));
    }

    private static IResult Preview(string token, PreviewStore store, HttpContext context)
    {
        if (store.Find(token) is not { } html)
        {
            return Results.Text("<!doctype html><p>This preview has expired; reload the page.</p>", "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        context.Response.Headers.ContentSecurityPolicy = PreviewSecurityPolicy;
        context.Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Results.Text(html, "text/html; charset=utf-8");
    }

    private static async Task StartOidc(string? returnUrl, HttpContext context, Microsoft.Extensions.Options.IOptions<ConsoleOidcOptions> oidc)
    {
        if (!oidc.Value.Enabled)
        {
            context.Response.Redirect("/admin/signin");
            return;
        }

        await context.ChallengeAsync(ConsoleAuth.OidcScheme, new AuthenticationProperties { RedirectUri = LocalPath(returnUrl) });
    }

    /// <summary>A return address only within the console: never an open redirect.</summary>
    public static string LocalPath(string? path) =>
        path is { Length: > 0 } && path.StartsWith("/admin", StringComparison.Ordinal) && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal)
            ? path
            : "/admin";
}
