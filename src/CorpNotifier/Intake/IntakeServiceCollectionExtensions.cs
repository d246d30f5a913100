using CorpNotifier.Hosting;
using CorpNotifier.Notices;

namespace CorpNotifier.Intake;

public static class IntakeServiceCollectionExtensions
{
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddSectionOptions<IntakeOptions>("Intake");
        services.AddScoped<EventProcessor>();
        services.AddScoped<NoticeScheduler>();
        return services;
    }
}
