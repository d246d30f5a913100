using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>The sign-in and attention pages as people use them: accessible, in two languages, by keyboard.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class PageTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task The_sign_in_page_has_no_serious_accessibility_violation()
    {
        var page = await Console.NewPageAsync();
        await page.GotoAsync("/admin/signin");

        await ScreenshotAsync(page, "signin");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_attention_page_has_no_serious_accessibility_violation()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Operator);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("What needs attention");

        await ScreenshotAsync(page, "attention");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Choosing_Russian_shows_the_console_in_Russian_and_it_stays_after_a_reload()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);

        await page.GetByRole(AriaRole.Link, new() { Name = "Русский" }).ClickAsync();

        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await Assertions.Expect(heading).ToHaveTextAsync("Что требует внимания");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        page.Url.ShouldBe($"{Console.BaseUrl}/admin");
        await page.ReloadAsync();
        await Assertions.Expect(heading).ToHaveTextAsync("Что требует внимания");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "English" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_first_Tab_from_the_top_focuses_the_skip_to_content_link()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);
        await page.ReloadAsync();

        await page.Keyboard.PressAsync("Tab");

        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToHaveAttributeAsync("href", "#main");
    }
}
