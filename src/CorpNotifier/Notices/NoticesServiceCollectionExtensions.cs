using CorpNotifier.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Notices;

public static class NoticesServiceCollectionExtensions
{
    /// <summary>
    /// The notice pipeline's part (every container that runs it, the simulation's too): the
    /// ledger, the scheduler that turns rules' actions into its steps, the letters' configured
    /// settings (<c>Notices:{Kind}</c>) and the audience options.
    /// </summary>
    public static IServiceCollection AddNoticeLedger(this IServiceCollection services)
    {
        services.AddOptions<NoticesOptions>().BindConfiguration("Notices").ValidateOnStart();
        // Notices:StaffEmailDomain sits beside the kinds' settings; it is not a kind.
        services.PostConfigure<NoticesOptions>(kinds => kinds.Remove(AudienceOptions.Key));
        services.AddSectionOptions<AudienceOptions>("Notices");
        services.AddSingleton<NoticeSettingsValidator>();
        services.AddSingleton<IValidateOptions<NoticesOptions>, NoticesOptionsValidator>();
        services.AddSingleton<NoticeSettingsDefaults>();
        services.AddScoped<NoticeLedger>();
        services.AddScoped<NoticeScheduler>();
        return services;
    }

    /// <summary>The service's settings source: the <c>notice_settings</c> table, seeded from configuration at start, cached.</summary>
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddSingleton<NoticeSettingsCache>();
        services.AddScoped<NoticeSettingsStore>();
        services.AddScoped<INoticeSettingsSource>(sp => sp.GetRequiredService<NoticeSettingsStore>());
        services.AddSingleton<Persistence.IDatabaseStartupStep, NoticeSettingsSynchronizer>();
        return services;
    }
}
