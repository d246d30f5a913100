using CorpNotifier.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Mailers;

public static class MailersServiceCollectionExtensions
{
    /// <summary>
    /// The notice pipeline's part (every container that runs it): the templates folder's options
    /// and the display text read from it (<c>Templates/display-text</c>). A container without a
    /// templates folder (the producers' test kit) replaces <see cref="DisplayText"/> with
    /// <see cref="DisplayText.BuiltIn"/>.
    /// </summary>
    public static IServiceCollection AddDisplayText(this IServiceCollection services)
    {
        services.AddSectionOptions<TemplateOptions>("Templates");
        services.AddSingleton<DisplayText>();
        return services;
    }

    /// <summary>
    /// The service's mailer (<c>Mailer = File | Sender | Smtp</c>) behind this instance's
    /// <see cref="MailerGate"/> (section <c>MailerLimits</c>: rate, concurrency, <c>Retry-After</c>,
    /// circuit breaker), and the renderer of its own templates.
    /// </summary>
    public static IServiceCollection AddMailers(this IServiceCollection services, ServiceOptions picks)
    {
        services.AddSectionOptions<MailOptions>("Mail");
        services.AddSectionOptions<MailerLimitsOptions>("MailerLimits");
        services.AddSingleton<LetterRenderer>();
        services.AddSingleton<MailerGate>();
        switch (picks.Mailer)
        {
            case MailerKind.Sender:
                services.AddSectionOptions<SenderOptions>("Sender");
                services.AddHttpClient<SenderMailer>((sp, http) =>
                {
                    var sender = sp.GetRequiredService<IOptions<SenderOptions>>().Value;
                    http.BaseAddress = new Uri(sender.BaseUrl!.ToString().TrimEnd('/') + "/");
                    http.Timeout = Timeout.InfiniteTimeSpan;
                });
                services.AddTransient<IMailer>(sp => new LimitedMailer(sp.GetRequiredService<SenderMailer>(), sp.GetRequiredService<MailerGate>()));
                break;
            case MailerKind.Smtp:
                services.AddSectionOptions<SmtpOptions>("Smtp");
                services.AddSingleton<SmtpMailer>();
                services.AddSingleton<IMailer>(sp => new LimitedMailer(sp.GetRequiredService<SmtpMailer>(), sp.GetRequiredService<MailerGate>()));
                break;
            default:
                services.AddSectionOptions<FileMailerOptions>("FileMailer");
                services.AddSingleton<FileMailer>();
                services.AddSingleton<IMailer>(sp => new LimitedMailer(sp.GetRequiredService<FileMailer>(), sp.GetRequiredService<MailerGate>()));
                break;
        }

        return services;
    }
}
