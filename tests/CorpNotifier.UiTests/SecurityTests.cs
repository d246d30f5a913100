using System.Text.Json;
using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>What keeps the console's pages to themselves: the Content-Security-Policy, and no place in the public API document.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class SecurityTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task Console_pages_carry_the_content_security_policy_and_the_browser_reports_no_violation_of_it()
    {
        var page = await Console.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);

        var signIn = await page.GotoAsync("/admin/signin");
        await SignInAsync(page, Auth.Roles.Viewer);
        var home = await page.ReloadAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        (await signIn!.HeaderValueAsync("content-security-policy")).ShouldBe(AdminUi.AdminUiServiceCollectionExtensions.ContentSecurityPolicy);
        (await home!.HeaderValueAsync("content-security-policy")).ShouldBe(AdminUi.AdminUiServiceCollectionExtensions.ContentSecurityPolicy);
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_openapi_document_lists_no_console_path()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Console.BaseUrl), Timeout = ConsoleFixture.Timeout };

        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/v1/events");
        paths.Where(p => p.StartsWith("/admin", StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();
    }
}
