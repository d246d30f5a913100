using CorpNotifier.Hosting;

namespace CorpNotifier.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>The service's ways in: <c>POST /api/v1/events</c>'s options and what the bus's event consumers run (<see cref="EventDelivery"/>).</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddSectionOptions<IntakeOptions>("Intake");
        services.AddScoped<EventDelivery>();
        return services;
    }
}
