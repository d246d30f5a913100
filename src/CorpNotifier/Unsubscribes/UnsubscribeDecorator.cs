using System.Text.Encodings.Web;
using System.Text.Unicode;
using CorpNotifier.Mailers;
using CorpNotifier.Rules;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Unsubscribes;

/// <summary>
/// An optional letter's one-click unsubscribe (RFC 8058): the <c>List-Unsubscribe</c> link with this
/// recipient's token and <c>List-Unsubscribe-Post</c> as headers (the SMTP and file mailers add them
/// to the message), and the same as arguments (<c>unsubscribe_url</c>, <c>list_unsubscribe</c>,
/// <c>list_unsubscribe_post</c>) for the Sender's campaigns and the templates' footer, and a small
/// footer with the link in the letter's language that the SMTP and file mailers add to the rendered
/// HTML (before <c>&lt;/body&gt;</c>) and text (the Sender's campaigns render their own footer from
/// the arguments). A mandatory letter is left as it is.
/// </summary>
public sealed class UnsubscribeDecorator(NoticeCatalog catalog, UnsubscribeTokens tokens, IOptions<UnsubscribeOptions> options) : ILetterDecorator
{
    public const string ListUnsubscribe = "List-Unsubscribe";
    public const string ListUnsubscribePost = "List-Unsubscribe-Post";
    public const string OneClick = "List-Unsubscribe=One-Click";

    public const string UrlArgument = "unsubscribe_url";
    public const string ListUnsubscribeArgument = "list_unsubscribe";
    public const string ListUnsubscribePostArgument = "list_unsubscribe_post";

    // Encodes what HTML needs encoded, and leaves Cyrillic readable (as the letters' templates are rendered).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public Letter Decorate(Letter letter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (catalog.Find(letter.Kind)?.Category is not { Mandatory: false } category)
        {
            return letter;
        }

        var token = tokens.Create(letter.Recipient, category, letter.Kind, letter.NoticeId, letter.Locale, now);
        if (options.Value.LinkTo(token) is not { } link)
        {
            return letter;
        }

        var header = $"<{link}>";
        var headers = new Dictionary<string, string>(letter.Headers, StringComparer.OrdinalIgnoreCase)
        {
            [ListUnsubscribe] = header,
            [ListUnsubscribePost] = OneClick,
        };
        var args = letter.Args.DeepClone().AsObject();
        args[UrlArgument] = link;
        args[ListUnsubscribeArgument] = header;
        args[ListUnsubscribePostArgument] = OneClick;
        return letter with { Args = args, Headers = headers, Footers = FootersOf(link, letter.Locale) };
    }

    /// <summary>The footer in Russian for <c>ru</c>, in English for any other locale (the one of the letter too, whatever the template it falls back to).</summary>
    public static LetterFooter Footer(string link, string locale)
    {
        ArgumentNullException.ThrowIfNull(link);
        var russian = locale.StartsWith("ru", StringComparison.OrdinalIgnoreCase);
        var (before, action, after, still) = russian
            ? ("Чтобы больше не получать такие письма, ", "отпишитесь", ".", "Письма о балансе, доступе, договоре и заявках будут приходить по-прежнему.")
            : ("To stop getting letters like this one, ", "unsubscribe", ".", "Letters about your balance, access, contract and requests still come.");
        var html = $"""<p class="unsubscribe" style="margin-top:24px;font-size:12px;color:#6b7280">{Html.Encode(before)}<a href="{Html.Encode(link)}" style="color:#6b7280">{Html.Encode(action)}</a>{Html.Encode(after)} {Html.Encode(still)}</p>""";
        var text = $"{before}{action}: {link}\n{still}";
        return new LetterFooter(html, text);
    }

    private static Dictionary<string, LetterFooter> FootersOf(string link, string locale) =>
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["ru"] = Footer(link, "ru"),
            ["en"] = Footer(link, "en"),
            [locale] = Footer(link, locale),
        };
}
