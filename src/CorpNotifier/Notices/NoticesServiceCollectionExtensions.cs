using CorpNotifier.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Notices;

public static class NoticesServiceCollectionExtensions
{
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticesOptions>().BindConfiguration("Notices").ValidateOnStart();
        // Notices:StaffEmailDomain sits beside the kinds' settings; it is not a kind.
        services.PostConfigure<NoticesOptions>(kinds => kinds.Remove(AudienceOptions.Key));
        services.AddSectionOptions<AudienceOptions>("Notices");
        services.AddSingleton<NoticeSettingsValidator>();
        services.AddSingleton<IValidateOptions<NoticesOptions>, NoticesOptionsValidator>();
        services.AddSingleton<NoticeSettingsDefaults>();
        services.AddScoped<NoticeLedger>();
        services.AddSingleton<NoticeSettingsCache>();
        services.AddScoped<NoticeSettingsStore>();
        services.AddScoped<INoticeSettingsSource>(sp => sp.GetRequiredService<NoticeSettingsStore>());
        services.AddSingleton<Persistence.IDatabaseStartupStep, NoticeSettingsSynchronizer>();
        return services;
    }
}
