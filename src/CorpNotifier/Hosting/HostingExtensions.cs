using Microsoft.Extensions.Options;

namespace CorpNotifier.Hosting;

public static class HostingExtensions
{
    /// <summary>Cross-cutting pieces: the clock, problem details for every error, the proxies believed, the security headers.</summary>
    public static IServiceCollection AddServiceDefaults(this IServiceCollection services, ServiceOptions picks)
    {
        services.AddSingleton(picks);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = NameTheMediaType);
        services.AddSectionOptions<ProxyOptions>("ForwardedHeaders");
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        services.AddSecurityHeaders();
        return services;
    }

    /// <summary>
    /// A body of a content type an endpoint does not take is refused by routing (415) before any
    /// handler runs, with a bare problem; this says what to send. Every endpoint that declares the
    /// content types it accepts takes JSON only (<c>IntakeApiTests</c> checks it).
    /// </summary>
    private static void NameTheMediaType(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
        {
            context.ProblemDetails.Detail = $"Send the body as {JsonMediaType} (the request's Content-Type was {context.HttpContext.Request.ContentType ?? "not given"}).";
        }
    }

    /// <summary>The one content type the service's API takes.</summary>
    public const string JsonMediaType = "application/json";

    /// <summary>
    /// In Development and in tests (environment <c>Testing</c>), the container checks every
    /// registration when it is built (<c>ValidateOnBuild</c>: each constructor's dependencies are
    /// registered) and every resolution's scope (<c>ValidateScopes</c>), so a dependency missing from
    /// one registration stops the start instead of failing the first request or message that needs it.
    /// </summary>
    public static IHostBuilder ValidateServicesOnBuild(this IHostBuilder host) =>
        host.UseDefaultServiceProvider((context, options) =>
        {
            var validate = context.HostingEnvironment.IsDevelopment() || context.HostingEnvironment.IsEnvironment(TestingEnvironment);
            options.ValidateOnBuild = validate;
            options.ValidateScopes = validate;
        });

    /// <summary>The environment the service's tests run it in.</summary>
    public const string TestingEnvironment = "Testing";

    /// <summary>
    /// First the forwarded headers of a known proxy (<see cref="ProxyOptions"/>): everything after
    /// sees the caller's address, scheme and host as the edge saw them — the limits on failed
    /// sign-ins, the cookies' <c>Secure</c> flag, redirects. Then the security headers, then errors and
    /// authentication.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
