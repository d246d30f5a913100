using Quartz;

namespace CorpNotifier.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// The service's ways in: what the bus's event consumers run (<see cref="EventDelivery"/>, in
    /// batches: <see cref="EventBatches"/>), and
    /// the periodic care of parked events (<see cref="ParkedEventsJob"/>).
    /// </summary>
    public static IServiceCollection AddIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<EventDelivery>();

        // Built when a delivery needs them, not for every message: most are processed in their
        // batch's scope, and building the processor's graph for each cost a part of the intake's CPU.
        services.AddScoped(provider => new Lazy<EventProcessor>(provider.GetRequiredService<EventProcessor>));
        services.AddScoped(provider => new Lazy<ParkedEvents>(provider.GetRequiredService<ParkedEvents>));
        services.AddSingleton<EventBatches>();

        var interval = configuration.GetSection("Intake").Get<IntakeOptions>()?.ParkedRetryInterval ?? new IntakeOptions().ParkedRetryInterval;
        services.AddQuartz(quartz =>
        {
            var job = new JobKey("parked-events");
            quartz.AddJob<ParkedEventsJob>(j => j.WithIdentity(job));
            quartz.AddTrigger(trigger => trigger
                .ForJob(job)
                .WithIdentity("parked-events-every-interval")
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever()));
        });
        return services;
    }
}
