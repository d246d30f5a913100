namespace CorpNotifier.UiTests;

/// <summary>The API reference at <c>/docs</c> under its Content-Security-Policy, in a real browser: it runs, and the browser reports no violation.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class DocsPolicyTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task The_api_reference_runs_under_its_policy_and_the_browser_reports_no_violation()
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
            "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));");

        var response = await page.GotoAsync("/docs/");
        await Assertions.Expect(page.GetByText("corp-notifier").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("/api/v1/events").First).ToBeAttachedAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var policy = await response!.HeaderValueAsync("content-security-policy");
        policy.ShouldNotBeNull();
        policy.ShouldContain("script-src 'self' 'nonce-");
        policy.ShouldContain("frame-ancestors 'none'");
        (await response.HeaderValueAsync("x-content-type-options")).ShouldBe("nosniff");
        problems.ShouldBeEmpty();
        (await page.EvaluateAsync<string[]>("window.__violations")).ShouldBeEmpty();
    }
}
