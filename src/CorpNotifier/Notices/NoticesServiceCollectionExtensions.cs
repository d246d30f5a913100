using Microsoft.Extensions.Options;

namespace CorpNotifier.Notices;

public static class NoticesServiceCollectionExtensions
{
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticesOptions>().BindConfiguration("Notices").ValidateOnStart();
        services.AddSingleton<NoticeSettingsValidator>();
        services.AddSingleton<IValidateOptions<NoticesOptions>, NoticesOptionsValidator>();
        services.AddSingleton<NoticeSettingsDefaults>();
        services.AddScoped<NoticeLedger>();
        services.AddScoped<NoticeSettingsStore>();
        services.AddScoped<INoticeSettingsSource>(sp => sp.GetRequiredService<NoticeSettingsStore>());
        services.AddSingleton<Persistence.IDatabaseStartupStep, NoticeSettingsSynchronizer>();
        return services;
    }
}
