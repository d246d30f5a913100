using CorpNotifier.Mailers;
using CorpNotifier.Rules;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Unsubscribes;

/// <summary>
/// An optional letter's one-click unsubscribe (RFC 8058): the <c>List-Unsubscribe</c> link with this
/// recipient's token and <c>List-Unsubscribe-Post</c> as headers (the SMTP and file mailers add them
/// to the message), and the same as arguments (<c>unsubscribe_url</c>, <c>list_unsubscribe</c>,
/// <c>list_unsubscribe_post</c>) for the Sender's campaigns and the templates' footer. A mandatory
/// letter is left as it is.
/// </summary>
public sealed class UnsubscribeDecorator(NoticeCatalog catalog, UnsubscribeTokens tokens, IOptions<UnsubscribeOptions> options) : ILetterDecorator
{
    public const string ListUnsubscribe = "List-Unsubscribe";
    public const string ListUnsubscribePost = "List-Unsubscribe-Post";
    public const string OneClick = "List-Unsubscribe=One-Click";

    public const string UrlArgument = "unsubscribe_url";
    public const string ListUnsubscribeArgument = "list_unsubscribe";
    public const string ListUnsubscribePostArgument = "list_unsubscribe_post";

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
        return letter with { Args = args, Headers = headers };
    }
}
