using System.Net.Http.Json;
using System.Text.Json;
using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>Finding a letter, reading its story, and the operator's actions on it, as a person does them in the browser.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class LetterTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task A_letter_is_found_by_its_id_its_client_its_event_its_contract_and_its_address()
    {
        var letter = await Console.Api.GetFromJsonAsync<JsonElement>($"/api/v1/notices/{Console.Seeded.SentNoticeId}");
        var notice = letter.GetProperty("notice");
        var queries = new[]
        {
            Console.Seeded.SentNoticeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            notice.GetProperty("clientId").GetString()!,
            notice.GetProperty("eventId").GetString()!,
            notice.GetProperty("contractId").GetString()!,
            notice.GetProperty("sentTo")[0].GetString()!,
        };
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);

        foreach (var query in queries)
        {
            await page.GotoAsync("/admin");
            await page.GetByLabel("Find a letter").FillAsync(query);
            await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"#{Console.Seeded.SentNoticeId}", Exact = true })).ToBeVisibleAsync();
            page.Url.ShouldContain("q=", customMessage: "the search is in the address, so it can be shared");
        }

        await ScreenshotAsync(page, "letters");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_letter_page_tells_its_story_from_the_event_to_the_recipient()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);

        await page.GotoAsync($"/admin/letters/{Console.Seeded.SentNoticeId}");

        var timeline = page.GetByTestId("timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("Event received");
        await Assertions.Expect(timeline).ToContainTextAsync("Created");
        await Assertions.Expect(timeline).ToContainTextAsync("Taken for sending");
        await Assertions.Expect(timeline).ToContainTextAsync("Accepted for a recipient");
        await Assertions.Expect(timeline.Locator("li").Last).ToContainTextAsync("Sent");
        await Assertions.Expect(page.GetByTestId("subject")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("iframe.letter")).ToHaveAttributeAsync("sandbox", "");
        await Assertions.Expect(page.FrameLocator("iframe.letter").Locator("body")).ToContainTextAsync("60 RUB");
        await Assertions.Expect(page.GetByTestId("actions")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "letter");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task In_Russian_the_letter_page_tells_its_story_in_Russian()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);
        await page.GetByRole(AriaRole.Link, new() { Name = "Русский" }).ClickAsync();

        await page.GotoAsync($"/admin/letters/{Console.Seeded.SentNoticeId}");

        var timeline = page.GetByTestId("timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("Получено событие");
        await Assertions.Expect(timeline).ToContainTextAsync("Создано — событием");
        await Assertions.Expect(timeline).ToContainTextAsync("Взято в отправку — попытка 1");
        await Assertions.Expect(timeline.Locator("li").Last).ToContainTextAsync("Отправлено");
        await Assertions.Expect(page.GetByTestId("origin")).ToHaveTextAsync("событие");
        foreach (var english in new[] { ", due ", "attempt ", " accepted", "by BalanceChanged" })
        {
            await Assertions.Expect(timeline).Not.ToContainTextAsync(english);
        }

        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_letter_that_does_not_exist_is_a_console_page_saying_so_with_404()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);

        var response = await page.GotoAsync("/admin/letters/999999999");

        response!.Status.ShouldBe(404);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("No such letter");
        await Assertions.Expect(page.GetByTestId("who")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task An_operator_cancels_a_pending_letter_after_a_confirmation_and_restores_it()
    {
        var id = await PendingLetterAsync(Console.Seeded.ClientIds[0]);
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Operator);
        await page.GotoAsync($"/admin/letters/{id}");
        await Assertions.Expect(page.GetByTestId("due")).ToContainTextAsync("UTC) — waits for the time an operator chose");

        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel…" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm")).ToContainTextAsync("It will not be sent");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the letter" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("The letter is cancelled.");
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync(NameOf(Auth.Roles.Operator));
        (await StatusAsync(id)).ShouldBe("dequeued");

        await page.GetByRole(AriaRole.Link, new() { Name = "Restore…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, restore it" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("The letter is pending again.");
        (await StatusAsync(id)).ShouldBe("pending");
    }

    [Fact]
    public async Task An_operator_re_sends_a_sent_letter_as_a_new_letter_linked_to_it()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Operator);
        await page.GotoAsync($"/admin/letters/{Console.Seeded.SentNoticeId}");

        await page.GetByRole(AriaRole.Link, new() { Name = "Re-send…" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm")).ToContainTextAsync("A new letter with the same arguments");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, send it again" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("This is the new letter; it goes out now.");
        var id = long.Parse(page.Url.Split('/')[^1].Split('?')[0], System.Globalization.CultureInfo.InvariantCulture);
        id.ShouldNotBe(Console.Seeded.SentNoticeId);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"#{Console.Seeded.SentNoticeId}", Exact = true })).ToBeVisibleAsync();
        await Eventually.MatchAsync(() => StatusAsync(id), s => s == "sent", $"the re-sent letter {id} to be sent");
    }

    [Fact]
    public async Task A_viewer_sees_no_action_and_an_action_posted_anyway_is_refused_with_403()
    {
        var id = await PendingLetterAsync(Console.Seeded.ClientIds[1]);
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);
        await page.GotoAsync($"/admin/letters/{id}");

        await Assertions.Expect(page.GetByTestId("actions")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cancel…" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Manual send" })).ToHaveCountAsync(0);
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.GetAttributeAsync("value");
        foreach (var action in new[] { "cancel", "resend" })
        {
            var response = await page.APIRequest.PostAsync($"/admin/letters/{id}/{action}", new()
            {
                Form = page.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!),
                MaxRedirects = 0,
            });
            response.Status.ShouldBe(403, $"a viewer posting {action}");
        }

        (await StatusAsync(id)).ShouldBe("pending");
    }

    private async Task<long> PendingLetterAsync(string clientId)
    {
        using var response = await Console.Api.PostAsJsonAsync($"/api/v1/clients/{clientId}/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = TestEvents.DefaultContractId,
            args = new { old_balance = 150, new_balance = 60, currency = "RUB" },
            sendAt = DateTimeOffset.UtcNow.AddDays(5),
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private async Task<string> StatusAsync(long id) =>
        (await Console.Api.GetFromJsonAsync<JsonElement>($"/api/v1/notices/{id}")).GetProperty("notice").GetProperty("status").GetString()!;
}
