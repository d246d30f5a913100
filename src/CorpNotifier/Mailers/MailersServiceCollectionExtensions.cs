using CorpNotifier.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Mailers;

public static class MailersServiceCollectionExtensions
{
    public static IServiceCollection AddMailers(this IServiceCollection services, ServiceOptions picks)
    {
        services.AddSectionOptions<TemplateOptions>("Templates");
        services.AddSectionOptions<MailOptions>("Mail");
        services.AddSingleton<LetterRenderer>();
        services.AddSingleton<DisplayText>();
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
