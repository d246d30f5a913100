using CorpNotifier.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace CorpNotifier.Dispatch;

public static class DispatchServiceCollectionExtensions
{
    /// <summary>
    /// The notice pipeline's part (every container that runs it, the simulation's too): the send
    /// path with its checks, and the outbox the messages its letters cause are written to.
    /// </summary>
    public static IServiceCollection AddSendPath(this IServiceCollection services)
    {
        services.AddSectionOptions<DispatchOptions>("Dispatch");
        services.TryAddSingleton<InstanceIdentity>();
        services.AddScoped<NoticeSender>();
        services.AddScoped<RecipientFilters>();
        services.AddScoped<Messaging.Outbox>();
        return services;
    }

    /// <summary>The service's way to the send path: the sweeper, this instance's send queue, the outbox's publisher, the due-letter gauges.</summary>
    public static IServiceCollection AddDispatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<DueNoticeQueue>();
        services.AddSingleton<LeaseRecoveryGrace>();
        // Registered before the send queue, so it is stopped after it: a graceful stop is recorded once nothing is sent any more.
        services.AddHostedService<InstanceHeartbeat>();
        services.AddSingleton<LocalDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalDispatcher>());
        services.AddSingleton<DueLettersGauges>();
        services.AddHostedService<DueLettersSampler>();

        var interval = configuration.GetSection("Dispatch").Get<DispatchOptions>()?.Interval ?? new DispatchOptions().Interval;
        services.AddQuartz(quartz =>
        {
            // RAM store: the sweep is safe on every instance at once (its queueing uses SKIP LOCKED).
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
