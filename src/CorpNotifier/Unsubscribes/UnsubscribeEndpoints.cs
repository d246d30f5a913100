using System.Net;
using System.Text;
using CorpNotifier.Notices;
using CorpNotifier.Rules;
using Microsoft.Net.Http.Headers;

namespace CorpNotifier.Unsubscribes;

/// <summary>
/// The public answers to an unsubscribe link, with no API key: <c>POST /unsubscribe/{token}</c> with
/// <c>List-Unsubscribe=One-Click</c> (a mail client's one-click, RFC 8058) or the page's buttons, and
/// <c>GET /unsubscribe/{token}</c>, a small ru/en page that says what the button does and never
/// unsubscribes by itself (link scanners open links). A tampered or expired token gets a page that
/// says so (400) and changes nothing. No anti-forgery token: the token in the address is the proof,
/// and what it can do is limited to that address and category.
/// </summary>
public static class UnsubscribeEndpoints
{
    public const string Path = "/unsubscribe";

    /// <summary>The page's policy: its own inline style, a form back to itself, nothing else.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The page's form field: <c>unsubscribe</c> or <c>resubscribe</c> (the undo).</summary>
    public const string ActionField = "action";

    /// <summary>The links' public answers (the console's forms by which admins change unsubscribes are the console's: AdminUi's UnsubscribeActions).</summary>
    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapGet("/{token}", GetAsync);
        group.MapPost("/{token}", PostAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string token, HttpContext context, UnsubscribeTokens tokens, Preferences preferences, CancellationToken cancellationToken)
    {
        switch (tokens.Read(token))
        {
            case TokenReading.Valid { Token: var read }:
                var unsubscribed = await preferences.IsUnsubscribedAsync(read.Address, read.Category, cancellationToken);
                return Page(context, StatusCodes.Status200OK, Language(context, read.Locale), unsubscribed ? State.Unsubscribed : State.Subscribed, read);
            case TokenReading.Expired { Token: var read }:
                return Page(context, StatusCodes.Status400BadRequest, Language(context, read.Locale), State.Expired, null);
            default:
                return Page(context, StatusCodes.Status400BadRequest, Language(context, null), State.Invalid, null);
        }
    }

    private static async Task<IResult> PostAsync(string token, HttpContext context, UnsubscribeTokens tokens, Preferences preferences, CancellationToken cancellationToken)
    {
        var reading = tokens.Read(token);
        if (reading is not TokenReading.Valid { Token: var read })
        {
            var locale = reading is TokenReading.Expired expired ? expired.Token.Locale : null;
            return Page(context, StatusCodes.Status400BadRequest, Language(context, locale), reading is TokenReading.Expired ? State.Expired : State.Invalid, null);
        }

        var language = Language(context, read.Locale);
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(cancellationToken) : null;
        if (form?[ActionField].ToString() == "resubscribe")
        {
            await preferences.ResubscribeAsync(read, cancellationToken);
            return Page(context, StatusCodes.Status200OK, language, State.Resubscribed, read);
        }

        var oneClick = string.Equals(form?["List-Unsubscribe"].ToString(), "One-Click", StringComparison.Ordinal);
        if (!oneClick && form?[ActionField].ToString() != "unsubscribe")
        {
            return Page(context, StatusCodes.Status400BadRequest, language, State.Invalid, null);
        }

        await preferences.UnsubscribeAsync(read, oneClick ? UnsubscribeVia.OneClick : UnsubscribeVia.Page, cancellationToken);
        return Page(context, StatusCodes.Status200OK, language, State.Unsubscribed, read);
    }

    private enum State
    {
        Subscribed,
        Unsubscribed,
        Resubscribed,
        Expired,
        Invalid,
    }

    /// <summary>Russian when the letter was Russian, else the browser's first choice of ru/en, else English.</summary>
    private static string Language(HttpContext context, string? locale)
    {
        if (locale is { Length: >= 2 } && (locale.StartsWith("ru", StringComparison.OrdinalIgnoreCase) || locale.StartsWith("en", StringComparison.OrdinalIgnoreCase)))
        {
            return locale[..2].ToLowerInvariant();
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value ?? "")
            .FirstOrDefault(l => l.StartsWith("ru", StringComparison.OrdinalIgnoreCase) || l.StartsWith("en", StringComparison.OrdinalIgnoreCase));
        return accepted is null ? "en" : accepted[..2].ToLowerInvariant();
    }

    private static IResult Page(HttpContext context, int status, string language, State state, UnsubscribeToken? token)
    {
        var ru = language == "ru";
        var category = token is null ? null : NoticeCategory.Named(token.Category);
        var what = category is null ? "" : ru ? category.DescriptionRu : category.Description;
        var who = token is null ? "" : EmailAddress.Mask(token.Address);
        var (title, text, button, action) = state switch
        {
            State.Subscribed => ru
                ? ("Отписка", $"Адрес {who} больше не будет получать {what}. Письма о деньгах, доступе, договоре и заявках продолжат приходить.", "Отписаться", "unsubscribe")
                : ("Unsubscribe", $"{who} will no longer receive {what}. Letters about money, access, your contract and requests still come.", "Unsubscribe", "unsubscribe"),
            State.Unsubscribed => ru
                ? ("Вы отписаны", $"Адрес {who} больше не получает {what}. Передумали?", "Подписаться снова", "resubscribe")
                : ("You are unsubscribed", $"{who} no longer receives {what}. Changed your mind?", "Subscribe again", "resubscribe"),
            State.Resubscribed => ru
                ? ("Подписка возвращена", $"Адрес {who} снова получает {what}.", "Отписаться", "unsubscribe")
                : ("Subscribed again", $"{who} receives {what} again.", "Unsubscribe", "unsubscribe"),
            State.Expired => ru
                ? ("Ссылка устарела", "Срок действия этой ссылки истёк, ничего не изменилось. Воспользуйтесь ссылкой из более нового письма или напишите своему менеджеру.", "", "")
                : ("This link has expired", "This link is too old to use; nothing was changed. Use the link in a newer letter, or write to your account manager.", "", ""),
            _ => ru
                ? ("Ссылка недействительна", "Эта ссылка повреждена или изменена, ничего не изменилось. Скопируйте ссылку из письма целиком.", "", "")
                : ("This link is not valid", "This link is damaged or was changed; nothing was changed. Copy the whole link from the letter.", "", ""),
        };

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(language).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#24292f}")
            .Append("button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #0a58ca;background:#0a58ca;color:#fff;cursor:pointer}</style></head><body>")
            .Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1><p>").Append(WebUtility.HtmlEncode(text)).Append("</p>");
        if (button.Length > 0)
        {
            html.Append("<form method=\"post\"><input type=\"hidden\" name=\"").Append(ActionField).Append("\" value=\"").Append(action).Append("\">")
                .Append("<button type=\"submit\">").Append(WebUtility.HtmlEncode(button)).Append("</button></form>");
        }

        html.Append("</body></html>");
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers[HeaderNames.ContentLanguage] = language;
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
