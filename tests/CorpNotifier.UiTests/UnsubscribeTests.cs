using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>An admin unsubscribes an address from reminders on the unsubscribes page and subscribes it again; a viewer sees the list without the forms.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class UnsubscribeTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task An_admin_unsubscribes_an_address_and_subscribes_it_again_and_a_viewer_sees_no_form()
    {
        const string address = "nudges@ui-unsubscribe.example";
        var admin = await Console.NewPageAsync();
        await SignInAsync(admin, Auth.Roles.Admin);

        await admin.GotoAsync("/admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Unsubscribes" }).ClickAsync();
        var form = admin.GetByTestId("add-unsubscribe");
        await form.GetByLabel("Address").FillAsync("Nudges@UI-Unsubscribe.example");
        await form.GetByLabel("From the category").SelectOptionAsync("reminders");
        await form.GetByLabel("Why (kept in the audit)").FillAsync("asked by phone, ticket 812");
        await form.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();

        await Assertions.Expect(admin.GetByTestId("message")).ToContainTextAsync("is unsubscribed from reminders");
        var row = admin.GetByTestId("unsubscribes").GetByRole(AriaRole.Row).Filter(new() { HasText = address });
        await Assertions.Expect(row).ToContainTextAsync("reminders");
        await Assertions.Expect(row).ToContainTextAsync($"admin {NameOf(Auth.Roles.Admin)}");
        await AssertAccessibleAsync(admin);

        var viewer = await Console.NewPageAsync();
        await SignInAsync(viewer, Auth.Roles.Viewer);
        await viewer.GotoAsync($"/admin/unsubscribes?address={address}");
        await Assertions.Expect(viewer.GetByTestId("unsubscribes").GetByRole(AriaRole.Row).Filter(new() { HasText = address })).ToHaveCountAsync(1);
        await Assertions.Expect(viewer.GetByTestId("add-unsubscribe")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Subscribe again") })).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Subscribe again: {address} to reminders" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("message")).ToContainTextAsync($"{address} is subscribed to reminders again");
        await Assertions.Expect(admin.GetByTestId("unsubscribes").GetByRole(AriaRole.Row).Filter(new() { HasText = address })).ToHaveCountAsync(0);
    }
}
