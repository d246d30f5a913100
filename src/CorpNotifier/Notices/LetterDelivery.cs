using CorpNotifier.Persistence;

namespace CorpNotifier.Notices;

/// <summary>
/// One letter to one recipient that the mailer accepted, with the mailer's message id (the key a
/// delivery report names it by) and the latest outcome reported for it. Created by
/// <see cref="NoticeLedger.Accepted"/>; its outcome is kept by the deliveries folder (table
/// <c>letter_deliveries</c>, mapped there).
/// </summary>
public sealed class LetterDelivery : IAppendedRow
{
    public long Id { get; set; }

    public long NoticeId { get; set; }

    public required string Recipient { get; set; }

    /// <summary>The id the mailer gave the letter (SMTP: its Message-ID, without angle brackets); <c>null</c> when it gave none.</summary>
    public string? ProviderMessageId { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>The latest outcome reported (<c>delivered</c>, <c>deferred</c>, <c>soft_bounce</c>, <c>hard_bounce</c>, <c>complained</c>); <c>null</c> until one is.</summary>
    public string? Outcome { get; set; }

    /// <summary>When the provider says the latest outcome happened.</summary>
    public DateTimeOffset? OutcomeAt { get; set; }

    /// <summary>The provider's words about it (addresses masked).</summary>
    public string? OutcomeText { get; set; }
}

/// <summary>Message ids as stored and matched: trimmed, without the angle brackets of a Message-ID header.</summary>
public static class LetterDeliveryIds
{
    public static string? Normalize(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return null;
        }

        var id = messageId.Trim();
        if (id.Length > 2 && id[0] == '<' && id[^1] == '>')
        {
            id = id[1..^1].Trim();
        }

        return id.Length > 200 ? id[..200] : id;
    }
}
