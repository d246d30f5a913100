using System.Text.RegularExpressions;
using CorpNotifier.Tests.Integration;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>A person's browser on the console, over HTTP: cookies kept, redirects seen, forms posted with the page's anti-forgery token.</summary>
internal static partial class ConsoleBrowser
{
    public static HttpClient Open(TestHost host, string? language = null)
    {
        var browser = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (language is not null)
        {
            browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        return browser;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key, string? returnUrl = null)
    {
        var page = await browser.GetStringAsync("/admin/signin");
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = Token(page)!,
            ["Form.ApiKey"] = key,
            ["Form.ReturnUrl"] = returnUrl ?? "/admin",
        };
        return await browser.PostAsync("/admin/signin", new FormUrlEncodedContent(form));
    }

    public static Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, string? token, IDictionary<string, string>? fields = null)
    {
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>());
        if (token is not null)
        {
            form["__RequestVerificationToken"] = token;
        }

        return browser.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public static string? Token(string page) => TokenPattern().Match(page) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
