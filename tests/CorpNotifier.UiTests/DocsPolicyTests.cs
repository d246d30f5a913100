using Xunit.Abstractions;

namespace CorpNotifier.UiTests;

/// <summary>
/// The API reference at <c>/docs</c> under its Content-Security-Policy, in a real browser: its own
/// scripts and styles run, and the browser refuses nothing but the one eval Scalar can do without.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class DocsPolicyTests(ConsoleFixture console, ITestOutputHelper output) : ConsoleTest(console)
{
    [Fact]
    public async Task The_api_reference_runs_under_its_policy_and_the_browser_refuses_nothing_it_needs()
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
        await page.AddInitScriptAsync(
            "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + e.sample));");

        var response = await page.GotoAsync("/docs/");
        await Assertions.Expect(page.GetByText("corp-notifier").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("/api/v1/events").First).ToBeAttachedAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var policy = await response!.HeaderValueAsync("content-security-policy");
        policy.ShouldNotBeNull();
        policy.ShouldContain("script-src 'self' 'nonce-");
        policy.ShouldContain("frame-ancestors 'none'");
        (await response.HeaderValueAsync("x-content-type-options")).ShouldBe("nosniff");
        var violations = await page.EvaluateAsync<string[]>("window.__violations");
        foreach (var v in violations) output.WriteLine(v);
        problems.ShouldBeEmpty();
        // Scalar's bundle tries eval once and carries on without it (the page is whole: its operations
        // and client libraries show); the policy keeps eval off. Anything else refused is a fault.
        violations.ShouldAllBe(v => v.StartsWith("script-src eval ", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByText("Shell Curl").First).ToBeAttachedAsync();
        await Assertions.Expect(page.GetByText("Submit a business event").First).ToBeVisibleAsync();
    }
}
