using System.Text.Json.Nodes;

namespace CorpNotifier.Mailers;

/// <summary>One letter to one recipient, as the send path hands it to a mailer.</summary>
public sealed record Letter(
    long NoticeId,
    string Kind,
    string Slug,
    string Recipient,
    string Locale,
    JsonObject Args)
{
    /// <summary>Extra message headers (e.g. <c>List-Unsubscribe</c>), by name; the mailers that build the message add them.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// What the mailers that render the letter (SMTP, file) add at the end of its bodies — an optional
    /// letter's unsubscribe link — by the locale it is rendered in (else the letter's); none: nothing.
    /// </summary>
    public IReadOnlyDictionary<string, LetterFooter> Footers { get; init; } = new Dictionary<string, LetterFooter>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A few words at the end of a rendered letter: <paramref name="Html"/> (encoded already) before <c>&lt;/body&gt;</c>, <paramref name="Text"/> after the text.</summary>
public sealed record LetterFooter(string Html, string Text)
{
    private const string BodyEnd = "</body>";

    public RenderedLetter AddTo(RenderedLetter rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var end = rendered.Html.LastIndexOf(BodyEnd, StringComparison.OrdinalIgnoreCase);
        var html = end < 0 ? rendered.Html + Html : rendered.Html.Insert(end, Html + "\n");
        var text = $"{rendered.Text.TrimEnd()}\n\n{Text}\n";
        return rendered with { Html = html, Text = text };
    }
}

/// <summary>
/// Adds what one recipient's letter carries beyond its arguments (an unsubscribe link and its
/// headers) just before the send path hands it to the mailer. Every registered decorator runs, in
/// registration order.
/// </summary>
public interface ILetterDecorator
{
    Letter Decorate(Letter letter, DateTimeOffset now);
}

/// <summary>What the mailer said.</summary>
public abstract record MailResult
{
    /// <summary>The mailer took the letter.</summary>
    public sealed record Accepted(string? ProviderMessageId) : MailResult;

    /// <summary>Try again later (timeout, 5xx, connection refused); not before <paramref name="RetryAfter"/> when the mailer said so (<c>Retry-After</c>).</summary>
    public sealed record Transient(string Error, TimeSpan? RetryAfter = null) : MailResult;

    /// <summary>Retrying will not help (4xx: bad address, unknown slug, missing template).</summary>
    public sealed record Permanent(string Error) : MailResult;
}

/// <summary>Sends one letter. Implementations never throw for mailer errors: they answer with a <see cref="MailResult"/>.</summary>
public interface IMailer
{
    Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken);
}
