using Scalar.AspNetCore;

namespace CorpNotifier.Hosting;

/// <summary>
/// The headers every answer of the service carries, the API's, <c>/docs</c>, health and metrics
/// included: no content sniffing, no framing, no referrer, and a Content-Security-Policy. A policy
/// or frame rule a part of the service set itself (the console's pages, a letter's preview) is kept.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Where the API reference is served (<c>Admin</c> maps it).</summary>
    public const string DocsPath = "/docs";

    /// <summary>Anything but the console and the reference: JSON, text, an icon. Nothing in them may load or run anything, or be framed.</summary>
    public const string DefaultPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The API reference: its own scripts (the page's inline start-up script by the nonce Scalar
    /// puts on every script tag), its own styles and the ones it sets inline, the OpenAPI document
    /// and the API itself (its "try it") from this origin only; no other host.
    /// </summary>
    public static string DocsPolicy(string? nonce) =>
        $"default-src 'none'; script-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>A fresh nonce on every <c>/docs</c> page, for the page's inline script (see <see cref="DocsPolicy"/>).</summary>
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services) =>
        services.Configure<ScalarOptions>(scalar => scalar.DynamicNonce = true);

    /// <summary>Sets the headers as each response starts, after the endpoint had its say.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (!headers.ContainsKey("Referrer-Policy"))
        {
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (!headers.ContainsKey("Content-Security-Policy"))
        {
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(DocsPath)
                ? DocsPolicy(context.Items[ScalarOptions.NonceHttpContextItemKey] as string)
                : DefaultPolicy;
            headers.XFrameOptions = "DENY";
        }
        else if (!headers.ContainsKey("X-Frame-Options"))
        {
            headers.XFrameOptions = "DENY";
        }
    }
}
