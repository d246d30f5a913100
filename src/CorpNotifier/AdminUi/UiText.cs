using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The console's language for one request: the <c>corp-notifier-lang</c> cookie the language
/// switch sets, else the browser's first preference (Russian or English). Each text is written at
/// its place of use in both languages, so a page carries its own words.
/// </summary>
public sealed class UiText(IHttpContextAccessor accessor)
{
    public const string Cookie = "corp-notifier-lang";
    public static readonly string[] Languages = ["en", "ru"];

    private string? _language;

    public string Language => _language ??= Detect(accessor.HttpContext);

    public bool Russian => Language == "ru";

    public string T(string english, string russian) => Russian ? russian : english;

    /// <summary>A moment as the console shows it: UTC, to the second, the same in both languages.</summary>
    public static string Moment(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public string Duration(TimeSpan span)
    {
        var negative = span < TimeSpan.Zero;
        span = span.Duration();
        var text = span.TotalSeconds < 60 ? T($"{span.TotalSeconds:0} s", $"{span.TotalSeconds:0} с")
            : span.TotalMinutes < 60 ? T($"{span.TotalMinutes:0} min", $"{span.TotalMinutes:0} мин")
            : span.TotalHours < 48 ? T($"{span.TotalHours:0.#} h", $"{span.TotalHours:0.#} ч")
            : T($"{span.TotalDays:0.#} days", $"{span.TotalDays:0.#} дн.");
        return negative ? "−" + text : text;
    }

    private static string Detect(HttpContext? http)
    {
        if (http is null)
        {
            return "en";
        }

        if (http.Request.Cookies.TryGetValue(Cookie, out var chosen) && Languages.Contains(chosen))
        {
            return chosen;
        }

        var accept = http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        return accept?.Value.Value?.StartsWith("ru", StringComparison.OrdinalIgnoreCase) == true ? "ru" : "en";
    }
}

/// <summary>What every console component has: the texts and the moment format.</summary>
public abstract class ConsoleComponent : ComponentBase
{
    [Inject]
    protected UiText Text { get; set; } = default!;

    protected string T(string english, string russian) => Text.T(english, russian);

    protected static string Moment(DateTimeOffset? at) => UiText.Moment(at);
}
