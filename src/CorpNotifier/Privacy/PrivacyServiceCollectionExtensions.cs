using CorpNotifier.Hosting;
using Quartz;

namespace CorpNotifier.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>
    /// What the service keeps about people: the erasure of a client's data (its admin API; the
    /// holders of personal data register their <see cref="Persistence.IClientDataEraser"/>), and retention — a
    /// job on <c>Retention:Schedule</c> that anonymises what is older than <c>Retention:Days</c>.
    /// </summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ClientEraser>();
        services.AddSectionOptions<RetentionOptions>("Retention");
        services.AddScoped<Retention>();

        var retention = configuration.GetSection("Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        if (retention.Days > 0 && RetentionOptions.IsCron(retention.Schedule))
        {
            services.AddQuartz(quartz =>
            {
                // RAM store, as the dispatcher's: the job is safe on every instance at once (one at a
                // time runs it on PostgreSQL, under an advisory lock; each batch is conditional).
                var job = new JobKey("retention");
                quartz.AddJob<RetentionJob>(j => j.WithIdentity(job));
                quartz.AddTrigger(trigger => trigger
                    .ForJob(job)
                    .WithIdentity("retention-nightly")
                    .WithCronSchedule(retention.Schedule, cron => cron.InTimeZone(TimeZoneInfo.Utc)));
            });
        }

        return services;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app) => app.MapErasureApi().MapErasureActions();
}
