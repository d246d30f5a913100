using System.Net.Http.Json;
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

    [Fact]
    public async Task A_parked_event_shows_on_the_attention_page_in_the_list_and_on_its_page_where_an_operator_re_runs_it()
    {
        var parked = TestEvents.RealTime.Balance(Console.Seeded.ClientIds[0], 150, 60, contractId: "ui-contract-not-yet", eventId: "ui-parked-1");
        using (var response = await Console.Api.PostAsJsonAsync("/api/v1/events", Intake.EventEnvelopeReader.Write(parked)))
        {
            ((int)response.StatusCode).ShouldBe(202, await response.Content.ReadAsStringAsync());
        }

        await Eventually.MatchAsync(
            async () => (await Console.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/events?status=waiting")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).ToList(),
            ids => ids.Contains("ui-parked-1"),
            "the balance to be parked for its contract");
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Operator);

        await page.GotoAsync("/admin");
        await Assertions.Expect(page.GetByTestId("waiting-events")).ToContainTextAsync("contract ui-contract-not-yet");
        await AssertAccessibleAsync(page);
        await page.GotoAsync("/admin/events");
        await Assertions.Expect(page.GetByTestId("parked-events")).ToContainTextAsync(Console.Seeded.ClientIds[0]);
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "ui-parked-1", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-run now" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("contract ui-contract-not-yet is still not known: the event keeps waiting.");
        await Assertions.Expect(page.GetByTestId("parked")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "parked-event");
        await AssertAccessibleAsync(page);
    }
}
