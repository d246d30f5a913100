using CorpNotifier.Hosting;
using CorpNotifier.Persistence;

namespace CorpNotifier.Deliveries;

public static class DeliveriesServiceCollectionExtensions
{
    /// <summary>
    /// Delivery reports: the signed webhook's settings (<c>Deliveries:Webhook</c>), the recorder, the
    /// instruments, and — when <c>Deliveries:Imap:Host</c> is set — the reader of the bounce mailbox.
    /// </summary>
    public static IServiceCollection AddDeliveries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<DeliveryWebhookOptions>("Deliveries:Webhook")
            .Validate(o => o.Secrets.All(WebhookSignature.IsValidSecret), "Deliveries:Webhook:Secrets: each secret is whsec_ followed by a base64 key (or the base64 key alone)");
        services.AddSectionOptions<DeliveryImapOptions>("Deliveries:Imap");
        services.AddSingleton<DeliveryMetrics>();
        services.AddScoped<DeliveryRecorder>();
        services.AddScoped<DeliveryPrivacy>();
        services.AddScoped<IClientDataEraser>(sp => sp.GetRequiredService<DeliveryPrivacy>());
        services.AddScoped<ILetterDataRetention>(sp => sp.GetRequiredService<DeliveryPrivacy>());
        if (configuration.GetSection("Deliveries:Imap").Get<DeliveryImapOptions>() is { Enabled: true })
        {
            services.AddSingleton<DsnMailboxReader>();
            services.AddHostedService(sp => sp.GetRequiredService<DsnMailboxReader>());
        }

        return services;
    }
}
