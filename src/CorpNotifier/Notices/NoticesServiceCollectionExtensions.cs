using Microsoft.Extensions.Options;

namespace CorpNotifier.Notices;

public static class NoticesServiceCollectionExtensions
{
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticesOptions>().BindConfiguration("Notices").ValidateOnStart();
        services.AddSingleton<IValidateOptions<NoticesOptions>, NoticesOptionsValidator>();
        services.AddSingleton<INoticeSettingsSource, ConfiguredNoticeSettings>();
        return services;
    }
}
