using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>Manual send with its preview and its idempotency key; settings edited, a stale edit caught.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class SendAndSettingsTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task A_manual_send_shows_its_preview_and_a_double_click_sends_one_letter()
    {
        var client = Console.Seeded.ClientIds[1];
        var before = await CountAsync(client, "LowBalanceNotice");
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Operator);
        await page.GotoAsync("/admin/send");
        await page.GetByLabel("Client id").FillAsync(client);
        await page.GetByLabel("Letter").SelectOptionAsync("LowBalanceNotice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await page.GetByLabel("Contract id").FillAsync(TestEvents.DefaultContractId);
        await page.GetByLabel("old_balance").FillAsync("150");
        await page.GetByLabel("new_balance").FillAsync("61");
        await page.GetByLabel("currency").FillAsync("RUB");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        var preview = page.GetByTestId("preview");
        await Assertions.Expect(preview).ToContainTextAsync("It would be sent.");
        await Assertions.Expect(page.GetByTestId("preview-subject")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.GetByLabel("new_balance")).ToHaveValueAsync("61");
        await Assertions.Expect(page.FrameLocator("iframe.letter").Locator("body")).ToContainTextAsync("61 RUB");
        await ScreenshotAsync(page, "send");
        await AssertAccessibleAsync(page);
        var key = await page.Locator("input[name='Form.IdempotencyKey']").GetAttributeAsync("value");
        var token = await page.Locator("form[method='post'] input[name='__RequestVerificationToken']").Last.GetAttributeAsync("value");
        var action = page.Url;

        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).DblClickAsync();
        // The browser shows the answer to the second submit: "created" when it was handled first or
        // together with the first, "already sent by the same form" when the first had committed. Either
        // way one letter, counted below.
        await Assertions.Expect(page.GetByTestId("message"))
            .ToContainTextAsync(new Regex("The letter is created|This letter was already sent by the same form"));
        // The same form once more, as a browser resubmitting it would: the same key, so the same letter.
        var again = await page.APIRequest.PostAsync(action, new()
        {
            Form = page.APIRequest.CreateFormData()
                .Set("_handler", "send").Set("__RequestVerificationToken", token!).Set("Form.IdempotencyKey", key!)
                .Set("Form.Action", "send").Set("Form.ContractId", TestEvents.DefaultContractId)
                .Set("Form.Args[old_balance]", "150").Set("Form.Args[new_balance]", "61").Set("Form.Args[currency]", "RUB"),
            MaxRedirects = 0,
        });

        again.Status.ShouldBe(302);
        again.Headers["location"].ShouldContain("done=already");
        page.Url.ShouldContain(again.Headers["location"].Split('?')[0]);
        (await CountAsync(client, "LowBalanceNotice")).ShouldBe(before + 1);
    }

    [Fact]
    public async Task An_admin_edits_settings_and_a_stale_edit_shows_the_other_change()
    {
        const string kind = "TrialFollowUpNotice";
        var mine = await Console.NewPageAsync();
        var theirs = await Console.NewPageAsync();
        await SignInAsync(mine, Auth.Roles.Admin);
        await SignInAsync(theirs, Auth.Roles.Admin);
        await mine.GotoAsync($"/admin/settings/{kind}");
        await theirs.GotoAsync($"/admin/settings/{kind}");

        await theirs.GetByLabel("Offset after the event").FillAsync("2.00:00:00");
        await theirs.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(theirs.GetByTestId("saved")).ToBeVisibleAsync();

        await mine.GetByLabel("Mode").SelectOptionAsync("Shadow");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var stale = mine.GetByTestId("stale");
        await Assertions.Expect(stale).ToBeVisibleAsync();
        await Assertions.Expect(stale).ToContainTextAsync(NameOf(Auth.Roles.Admin));
        await Assertions.Expect(stale).ToContainTextAsync("2.00:00:00");
        await ScreenshotAsync(mine, "settings-stale");
        await AssertAccessibleAsync(mine);
        var current = await SettingsAsync(kind);
        current.GetProperty("mode").GetString().ShouldBe("Live", "the stale edit changed nothing");

        await mine.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(mine.GetByTestId("saved")).ToBeVisibleAsync();
        var saved = await SettingsAsync(kind);
        saved.GetProperty("mode").GetString().ShouldBe("Shadow");
        await Assertions.Expect(mine.GetByTestId("history")).ToContainTextAsync("Shadow");
    }

    [Fact]
    public async Task A_viewer_reads_settings_without_a_form_and_a_change_posted_anyway_is_refused_with_403()
    {
        const string kind = "OfferScoringNotice";
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);
        await page.GotoAsync($"/admin/settings/{kind}");

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        var version = (await SettingsAsync(kind)).GetProperty("version").GetInt32();
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.GetAttributeAsync("value");
        var response = await page.APIRequest.PostAsync($"/admin/settings/{kind}", new()
        {
            Form = page.APIRequest.CreateFormData()
                .Set("_handler", "settings").Set("__RequestVerificationToken", token!)
                .Set("Form.Version", version.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("Form.Enabled", "false").Set("Form.Mode", "Shadow").Set("Form.Offset", "00:00:00"),
            MaxRedirects = 0,
        });

        response.Status.ShouldBe(403);
        (await SettingsAsync(kind)).GetProperty("version").GetInt32().ShouldBe(version);
    }

    private async Task<int> CountAsync(string clientId, string kind)
    {
        var page = await Console.Api.GetFromJsonAsync<JsonElement>($"/api/v1/notices?clientId={clientId}&kind={kind}&limit=500");
        return page.GetProperty("items").GetArrayLength();
    }

    private Task<JsonElement> SettingsAsync(string kind) =>
        Console.Api.GetFromJsonAsync<JsonElement>($"/api/v1/settings/notices/{kind}");
}
