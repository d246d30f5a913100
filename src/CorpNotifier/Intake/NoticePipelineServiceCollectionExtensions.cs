using CorpNotifier.Calendars;
using CorpNotifier.Clients;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Mailers;
using CorpNotifier.Notices;
using CorpNotifier.Rules;
using CorpNotifier.Secrets;

namespace CorpNotifier.Intake;

public static class NoticePipelineServiceCollectionExtensions
{
    /// <summary>
    /// The notice pipeline, registered once for every container that runs it — the service, the
    /// simulation (<c>POST /api/v1/simulate</c>) and the producers' test kit: event processing, the
    /// rules, the scheduler and the ledger, the send path with its checks, the local client
    /// directory's writer, the secrets, the display text, the service's meter, and the options
    /// they read (bound from <see cref="IConfiguration"/>).
    /// </summary>
    /// <remarks>
    /// Each container adds what differs: the database (a <c>NoticesDbContext</c> and
    /// <c>DatabaseAvailability</c>), the clock (<see cref="TimeProvider"/>), the settings source
    /// (<see cref="INoticeSettingsSource"/>), the client directory (<see cref="IClientDirectory"/>),
    /// the mailer (<see cref="IMailer"/>), the configuration and the content root
    /// (<c>IHostEnvironment</c>, for the templates folder), and the bus's way in. Containers are
    /// built with <c>ValidateOnBuild</c> (the service in Development and in tests, the simulation
    /// always), so a constructor dependency that one of them lacks stops the build, not a request.
    /// </remarks>
    public static IServiceCollection AddNoticePipeline(this IServiceCollection services)
    {
        // Who claims a letter (its timeline names the instance).
        services.AddSectionOptions<InstanceOptions>("Instance");
        services.AddMetrics();
        services.AddSingleton<NotifierMetrics>();
        services.AddRules();
        services.AddSendTimes();
        services.AddNoticeLedger();
        services.AddSendPath();
        services.AddLocalDirectoryWriter();
        services.AddSecrets();
        services.AddDisplayText();
        services.AddSectionOptions<IntakeOptions>("Intake");
        services.AddScoped<EventProcessor>();
        services.AddScoped<ParkedEvents>();
        return services;
    }
}
