using MimeKit;

namespace CorpNotifier.Mailers;

/// <summary>Section <c>Mail</c>: the sender address of letters built here (SMTP and file mailers).</summary>
public sealed class MailOptions
{
    [System.ComponentModel.DataAnnotations.Required]
    [System.ComponentModel.DataAnnotations.EmailAddress]
    public string From { get; set; } = "noreply@corp-notifier.local";

    public string FromName { get; set; } = "Corporate clients";
}

/// <summary>Builds the MIME message of a rendered letter; shared by the SMTP and file mailers.</summary>
public static class MimeLetterBuilder
{
    public static MimeMessage Build(Letter letter, RenderedLetter rendered, MailOptions mail)
    {
        var message = new MimeMessage
        {
            Subject = rendered.Subject,
            // One id per letter and recipient: a repeated attempt produces the same message id,
            // so a receiving system can tell a repeat from a new letter.
            MessageId = $"notice-{letter.NoticeId}-{RecipientHash(letter.Recipient)}@corp-notifier",
        };
        message.From.Add(new MailboxAddress(mail.FromName, mail.From));
        message.To.Add(new MailboxAddress(string.Empty, letter.Recipient)); // the address as it is, never parsed for a display name
        message.Headers.Add("X-Notice-Id", letter.NoticeId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add("X-Notice-Kind", letter.Kind);
        message.Headers.Add("X-Notice-Slug", letter.Slug);
        message.Headers.Add("Content-Language", rendered.Locale);
        foreach (var (name, value) in letter.Headers)
        {
            message.Headers.Add(name, value);
        }

        if ((letter.Footers.GetValueOrDefault(rendered.Locale) ?? letter.Footers.GetValueOrDefault(letter.Locale)) is { } footer)
        {
            rendered = footer.AddTo(rendered);
        }

        message.Body = new BodyBuilder { HtmlBody = rendered.Html, TextBody = rendered.Text }.ToMessageBody();
        return message;
    }

    private static string RecipientHash(string recipient) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(recipient.ToLowerInvariant())))[..12];
}
