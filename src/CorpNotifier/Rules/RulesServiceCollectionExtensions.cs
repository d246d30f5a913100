namespace CorpNotifier.Rules;

public static class RulesServiceCollectionExtensions
{
    public static IServiceCollection AddRules(this IServiceCollection services)
    {
        foreach (var type in NoticeCatalog.DiscoverRuleTypes())
        {
            services.AddSingleton(typeof(NoticeRule), type);
        }

        services.AddSingleton<NoticeCatalog>();
        return services;
    }
}
