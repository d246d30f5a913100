using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace CorpNotifier.Deliveries;

/// <summary>Section <c>Deliveries:Webhook</c>: the mailer's signed delivery events.</summary>
public sealed class DeliveryWebhookOptions
{
    /// <summary>
    /// The signing secrets (Standard Webhooks: <c>whsec_</c> and the key in base64, or the base64 key
    /// alone). A request signed with any of them is taken, so a secret is rotated by adding the new
    /// one first. None configured: every request is refused. Secrets: never logged.
    /// </summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>How far a request's <c>webhook-timestamp</c> may be from now, either way; older or newer is refused.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted body; larger ones get 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most events in one request.</summary>
    [Range(1, 10_000)]
    public int MaxEvents { get; set; } = 1000;
}

/// <summary>
/// Section <c>Deliveries:Imap</c>: the mailbox the SMTP mailer's bounces (delivery status
/// notifications) come back to. Read only when <see cref="Host"/> is set.
/// </summary>
public sealed class DeliveryImapOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> or <c>Auto</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? User { get; set; }

    /// <summary>A secret: never logged.</summary>
    public string? Password { get; set; }

    /// <summary>The folder the notifications arrive in.</summary>
    [Required]
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where a read notification is moved; created when missing.</summary>
    [Required]
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Where a message that is not a readable notification is moved, kept for inspection; created when missing.</summary>
    [Required]
    public string UnparsedFolder { get; set; } = "Unparsed";

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most messages read per poll.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
