using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Mailers;
using CorpNotifier.Persistence;
using Microsoft.AspNetCore.DataProtection;

namespace CorpNotifier.Unsubscribes;

public static class UnsubscribesServiceCollectionExtensions
{
    /// <summary>The Data Protection application name: every instance with it (and the same key table) reads every other's tokens and cookies.</summary>
    public const string ApplicationName = "corp-notifier";

    /// <summary>
    /// Optional letters' one-click unsubscribe: Data Protection with its key ring in the database (also
    /// the console's cookies and forms then hold across instances), the tokens, the letters' headers and
    /// arguments, the recipient filter, and the erasure of a client's unsubscribes.
    /// </summary>
    public static IServiceCollection AddUnsubscribes(this IServiceCollection services)
    {
        services.AddSectionOptions<UnsubscribeOptions>("Unsubscribe");
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<NoticesDbContext>();
        // The key ring sits in the service's database and is guarded like it (docs/unsubscribe.md):
        // the key manager's warning that keys are stored unencrypted would otherwise come with
        // every new key, on every instance's first start on a fresh database.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error));
        // Data Protection reads its key ring when the host starts, which may come before this
        // instance's database is migrated or reachable (an error in the log, nothing gained): the
        // ring is read on first use instead — the first token or console cookie, once the database is up.
        services.WithoutKeyRingPreload();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<ILetterDecorator, UnsubscribeDecorator>();
        services.AddScoped<IRecipientFilter, UnsubscribeFilter>();
        services.AddScoped<IClientDataEraser, UnsubscribeEraser>();
        services.AddScoped<Preferences>();
        return services;
    }

    /// <summary>
    /// Takes out Data Protection's read of the key ring at the host's start (its hosted service);
    /// every later <c>AddDataProtection()</c> adds it again, so a container that calls that after
    /// <see cref="AddUnsubscribes"/> calls this too.
    /// </summary>
    public static IServiceCollection WithoutKeyRingPreload(this IServiceCollection services)
    {
        foreach (var preload in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
        {
            services.Remove(preload);
        }

        return services;
    }
}
