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

    /// <summary>The service's mailer (<c>Mailer = File | Sender | Smtp</c>) and the renderer of its own templates.</summary>
    public static IServiceCollection AddMailers(this IServiceCollection services, ServiceOptions picks)
    {
        services.AddSectionOptions<MailOptions>("Mail");
        services.AddSingleton<LetterRenderer>();
        switch (picks.Mailer)
        {
            case MailerKind.Sender:
                services.AddSectionOptions<SenderOptions>("Sender");
                services.AddHttpClient<IMailer, SenderMailer>((sp, http) =>
                {
                    var sender = sp.GetRequiredService<IOptions<SenderOptions>>().Value;
                    http.BaseAddress = new Uri(sender.BaseUrl!.ToString().TrimEnd('/') + "/");
                    http.Timeout = Timeout.InfiniteTimeSpan;
                });
                break;
            case MailerKind.Smtp:
                services.AddSectionOptions<SmtpOptions>("Smtp");
                services.AddSingleton<IMailer, SmtpMailer>();
                break;
            default:
                services.AddSectionOptions<FileMailerOptions>("FileMailer");
                services.AddSingleton<IMailer, FileMailer>();
                break;
        }

        return services;
    }
}
