using CorpNotifier.Admin;
using CorpNotifier.Deliveries;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Privacy;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Suppressions;

public static class SuppressionsServiceCollectionExtensions
{
    /// <summary>
    /// The suppression list: its settings (section <c>Suppressions</c>, the hash key checked at start),
    /// the send path's filter, the delivery reports' listener, the client erasure's part, and the
    /// queries and admin operations the API and the console share.
    /// </summary>
    public static IServiceCollection AddSuppressions(this IServiceCollection services)
    {
        services.AddSectionOptions<SuppressionOptions>("Suppressions");
        services.AddSingleton<IValidateOptions<SuppressionOptions>, SuppressionKeyValidator>();
        services.AddSingleton<AddressHasher>();
        services.AddScoped<IRecipientFilter, SuppressionFilter>();
        services.AddScoped<IDeliveryListener, SuppressionListener>();
        services.AddScoped<IClientDataEraser, SuppressionEraser>();
        services.AddScoped<SuppressionQueries>();
        services.AddScoped<SuppressionOperations>();
        return services;
    }

    /// <summary>The list's admin API (<c>/api/v1/suppressions</c>) and the console's add and remove forms.</summary>
    public static IEndpointRouteBuilder MapSuppressions(this IEndpointRouteBuilder app)
    {
        app.MapSuppressionsApi();
        app.MapSuppressionConsoleActions();
        return app;
    }
}
