using CorpNotifier.Hosting;

namespace CorpNotifier.Calendars;

public static class CalendarsServiceCollectionExtensions
{
    /// <summary>Business calendars (shipped, from the PublicHoliday package, or Monday–Friday) and the send-time planning on them.</summary>
    public static IServiceCollection AddSendTimes(this IServiceCollection services)
    {
        services.AddSectionOptions<SendWindowsOptions>("SendWindows");
        services.AddSingleton(sp => new BusinessCalendars(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SendTimes>();
        return services;
    }
}
