namespace CorpNotifier.SystemTests;

/// <summary>A person's browser on a running service's console: its cookies, the sign-in form, anti-forgery forms.</summary>
public static class ConsoleBrowser
{
    /// <summary>A browser signed in to the console with the key of <paramref name="role"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(ServiceProcess service, string role)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(service.BaseUrl) };
        var signIn = await browser.GetStringAsync("/admin/signin");
        using var signedIn = await PostAsync(browser, "/admin/signin", Token(signIn), new()
        {
            ["_handler"] = "signin",
            ["Form.ApiKey"] = ServiceProcess.KeyOf(role),
        });
        signedIn.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        return browser;
    }

    /// <summary>Posts a form of a page with the page's anti-forgery token.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string token, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = token;
        return browser.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>The anti-forgery token of a page's forms.</summary>
    public static string Token(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
}
