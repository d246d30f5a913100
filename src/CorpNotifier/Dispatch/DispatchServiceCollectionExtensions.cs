using CorpNotifier.Hosting;
using Quartz;

namespace CorpNotifier.Dispatch;

public static class DispatchServiceCollectionExtensions
{
    public static IServiceCollection AddDispatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<DispatchOptions>("Dispatch");
        services.AddScoped<DueNoticeQueue>();
        services.AddScoped<NoticeSender>();
        services.AddSingleton<LocalDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalDispatcher>());
        services.AddScoped<Messaging.Outbox>();
        services.AddSingleton<DueLettersGauges>();
        services.AddHostedService<DueLettersSampler>();

        var interval = configuration.GetSection("Dispatch").Get<DispatchOptions>()?.Interval ?? new DispatchOptions().Interval;
        services.AddQuartz(quartz =>
        {
            // RAM store: the sweep is safe on every instance at once (claims use SKIP LOCKED).
            // The cadence runs on the real clock; what is due is decided by the service's
            // TimeProvider inside the job (Quartz would otherwise take the container's clock).
            quartz.UseTimeProvider(TimeProvider.System);
            var job = new JobKey("dispatch-due-notices");
            quartz.AddJob<DispatchDueNoticesJob>(j => j.WithIdentity(job));
            quartz.AddTrigger(trigger => trigger
                .ForJob(job)
                .WithIdentity("dispatch-due-notices-every-interval")
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever()));

            // The outbox on the same cadence: messages letters' sending causes (ActivationEmailSent).
            var outbox = new JobKey("publish-outbox");
            quartz.AddJob<PublishOutboxJob>(j => j.WithIdentity(outbox));
            quartz.AddTrigger(trigger => trigger
                .ForJob(outbox)
                .WithIdentity("publish-outbox-every-interval")
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever()));
        });
        services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
        return services;
    }
}
