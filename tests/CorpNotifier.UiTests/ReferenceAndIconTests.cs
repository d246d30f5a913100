namespace CorpNotifier.UiTests;

/// <summary>The API reference at <c>/docs</c> and the console's icon, as a browser loads them: nothing is asked of another host.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class ReferenceAndIconTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task The_api_reference_loads_and_the_browser_asks_no_other_host_for_anything()
    {
        var page = await Console.NewPageAsync();
        var service = new Uri(Console.BaseUrl);
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Authority != service.Authority)
            {
                elsewhere.Add(request.Url);
            }
        };

        await page.GotoAsync("/docs/");

        await Assertions.Expect(page.GetByText("corp-notifier").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        elsewhere.ShouldBeEmpty();
        await Assertions.Expect(page.Locator("link[rel~='icon']").First).ToHaveAttributeAsync("href", "/favicon.svg");
    }

    [Fact]
    public async Task The_console_shows_its_icon()
    {
        var page = await Console.NewPageAsync();

        await page.GotoAsync("/admin/signin");

        await Assertions.Expect(page.Locator("link[rel='icon']")).ToHaveAttributeAsync("href", "/favicon.svg");
        var icon = await page.APIRequest.GetAsync("/favicon.svg");
        icon.Status.ShouldBe(200);
        icon.Headers["content-type"].ShouldStartWith("image/svg+xml");
    }
}
