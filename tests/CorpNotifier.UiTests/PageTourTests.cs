using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>Every other page once, as an admin sees it: it shows what it is for and has no serious accessibility violation.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class PageTourTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task The_client_page_shows_profile_contracts_agenda_letters_and_events()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Operator);

        // The second client: both seeded clients' contracts have the same id, and the latest event owns it.
        await page.GotoAsync($"/admin/clients/{Console.Seeded.ClientIds[1]}");

        foreach (var section in new[] { "profile", "contracts", "agenda", "letters", "events" })
        {
            await Assertions.Expect(page.Locator($"#{section}")).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("#contracts")).ToContainTextAsync(TestEvents.DefaultContractId);
        await Assertions.Expect(page.Locator("#letters")).ToContainTextAsync("LimitIsOverNotice");
        await Assertions.Expect(page.GetByTestId("send-letter")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "client");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_event_page_shows_the_letters_it_made()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);
        await page.GotoAsync($"/admin/letters/{Console.Seeded.SentNoticeId}");

        await page.GetByRole(AriaRole.Link, new() { Name = Console.Seeded.EventIds[^2], Exact = true }).First.ClickAsync();

        await Assertions.Expect(page.GetByTestId("created")).ToContainTextAsync($"#{Console.Seeded.SentNoticeId}");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_settings_page_lists_every_letter_with_the_would_send_report()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Admin);

        await page.GotoAsync("/admin/settings");

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "LowBalanceNotice", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg.chart")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "settings");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_audit_page_lists_the_actions_taken()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);

        await page.GotoAsync("/admin/audit");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_simulation_shows_the_letters_of_its_example_on_a_timeline()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);
        await page.GotoAsync("/admin/simulate");

        await page.GetByRole(AriaRole.Button, new() { Name = "Simulate" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("simulation")).ToContainTextAsync("LimitIsOverNotice");
        await ScreenshotAsync(page, "simulate");
        await AssertAccessibleAsync(page);
    }
}
