using CorpNotifier.Deliveries;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Suppressions;

public static class SuppressionsServiceCollectionExtensions
{
    /// <summary>
    /// The suppression list: its settings (section <c>Suppressions</c>, the hash key checked at start),
    /// the send path's filter, the delivery reports' listener and the client erasure's part. The
    /// operators' side (queries, admin operations, API, console) is added by <c>AddSuppressions</c> in Admin.
    /// </summary>
    public static IServiceCollection AddSuppressionList(this IServiceCollection services)
    {
        services.AddSectionOptions<SuppressionOptions>("Suppressions");
        services.AddSingleton<IValidateOptions<SuppressionOptions>, SuppressionKeyValidator>();
        services.AddSingleton<AddressHasher>();
        services.AddScoped<IRecipientFilter, SuppressionFilter>();
        services.AddScoped<IDeliveryListener, SuppressionListener>();
        services.AddScoped<IClientDataEraser, SuppressionEraser>();
        return services;
    }
}
