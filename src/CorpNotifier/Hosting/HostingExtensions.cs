namespace CorpNotifier.Hosting;

public static class HostingExtensions
{
    /// <summary>Cross-cutting pieces: the clock, problem details for every error.</summary>
    public static IServiceCollection AddServiceDefaults(this IServiceCollection services, ServiceOptions picks)
    {
        services.AddSingleton(picks);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        return services;
    }

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

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
