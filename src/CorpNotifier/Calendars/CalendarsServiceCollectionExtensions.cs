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

    /// <summary>
    /// The service's calendar years edited or imported by admins (<c>calendar_years</c>): put in place at start
    /// and kept in step with the other instances (<see cref="CalendarSynchronizer"/>), and the re-planning of
    /// a country's pending letters after an edit.
    /// </summary>
    public static IServiceCollection AddCalendarStorage(this IServiceCollection services)
    {
        services.AddSingleton<StoredCalendarsState>();
        services.AddScoped<StoredCalendars>();
        services.AddScoped<CalendarReplanner>();
        services.AddSingleton<CalendarSynchronizer>();
        services.AddSingleton<Persistence.IDatabaseStartupStep>(sp => sp.GetRequiredService<CalendarSynchronizer>());
        services.AddHostedService(sp => sp.GetRequiredService<CalendarSynchronizer>());
        return services;
    }
}
