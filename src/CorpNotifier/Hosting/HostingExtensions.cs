namespace CorpNotifier.Hosting;

public static class HostingExtensions
{
    /// <summary>Cross-cutting pieces: the clock, problem details for every error.</summary>
    public static IServiceCollection AddServiceDefaults(this IServiceCollection services, ServiceOptions picks)
    {
        services.AddSingleton(picks);
        services.AddSectionOptions<InstanceOptions>("Instance");
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
