using System.ComponentModel.DataAnnotations;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CorpNotifier.Mailers;

/// <summary>Section <c>Smtp</c>.</summary>
public sealed class SmtpOptions
{
    [Required]
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;

    public string? Username { get; set; }

    public string? Password { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The envelope sender (<c>MAIL FROM</c>): where receiving servers send their delivery status
    /// notifications, the mailbox <c>Deliveries:Imap</c> reads. Unset: <c>Mail:From</c>.
    /// </summary>
    [EmailAddress]
    public string? BounceAddress { get; set; }
}

/// <summary>
/// <c>Mailer = Smtp</c>: renders the Liquid templates of the slug and locale and sends through an
/// SMTP server with MailKit, with <c>Smtp:BounceAddress</c> as the envelope sender. The letter's
/// Message-ID (one per letter and recipient) is the id a delivery report names it by. 5xx replies are permanent; 4xx replies and connection faults are retried.
/// </summary>
public sealed class SmtpMailer(LetterRenderer renderer, IOptions<SmtpOptions> options, IOptions<MailOptions> mail) : IMailer
{
    public async Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken)
    {
        RenderedLetter rendered;
        try
        {
            rendered = await renderer.RenderAsync(letter.Slug, letter.Locale, letter.Args);
        }
        catch (TemplateNotFoundException ex)
        {
            return new MailResult.Permanent(ex.Message);
        }

        var message = MimeLetterBuilder.Build(letter, rendered, mail.Value);
        var smtp = options.Value;
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
            }

            // Bounces go to the envelope sender, not to the From a reader sees.
            var sender = new MailboxAddress(string.Empty, string.IsNullOrWhiteSpace(smtp.BounceAddress) ? mail.Value.From : smtp.BounceAddress);
            var reply = await client.SendAsync(message, sender, message.To.Mailboxes, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new MailResult.Accepted(message.MessageId ?? reply);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            return new MailResult.Permanent($"SMTP {(int)ex.StatusCode}: {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
            or IOException or SocketException or TimeoutException or AuthenticationException or SslHandshakeException)
        {
            return new MailResult.Transient($"SMTP: {ex.Message}");
        }
    }
}
