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
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<ILetterDecorator, UnsubscribeDecorator>();
        services.AddScoped<IRecipientFilter, UnsubscribeFilter>();
        services.AddScoped<IClientDataEraser, UnsubscribeEraser>();
        services.AddScoped<Preferences>();
        return services;
    }
}
