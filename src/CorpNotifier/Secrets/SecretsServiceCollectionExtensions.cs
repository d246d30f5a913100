using CorpNotifier.Hosting;

namespace CorpNotifier.Secrets;

public static class SecretsServiceCollectionExtensions
{
    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddSectionOptions<SecretsOptions>("Secrets");
        services.AddSingleton<SecretBox>();
        return services;
    }
}
