using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>An admin suppresses a client's only address on the suppressions page; the attention page then lists the client; removing the entry takes it off.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class SuppressionTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task An_admin_suppresses_a_clients_only_address_the_attention_page_lists_the_client_and_removing_the_entry_takes_it_off()
    {
        const string client = "ui-client-unreachable";
        await Console.SendAsync(TestEvents.RealTime.Profile(client, ["only@unreachable.example"]));
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Admin);

        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Suppressions" }).ClickAsync();
        var form = page.GetByTestId("add-suppression");
        await form.GetByLabel("Address").FillAsync("Only@Unreachable.example");
        await form.GetByLabel("Why (kept with the entry)").FillAsync("mailbox closed, ticket 4211");
        await form.GetByLabel("Client id, if known").FillAsync(client);
        await form.GetByRole(AriaRole.Button, new() { Name = "Suppress" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("added; the address gets no more letters");
        var row = page.GetByTestId("suppressions").GetByRole(AriaRole.Row).Filter(new() { HasText = "only@unreachable.example" });
        await Assertions.Expect(row).ToContainTextAsync("by an admin");
        await Assertions.Expect(row).ToContainTextAsync("mailbox closed, ticket 4211");
        await Assertions.Expect(row).ToContainTextAsync(NameOf(Auth.Roles.Admin));
        await AssertAccessibleAsync(page);

        await page.GotoAsync("/admin");
        var unreachable = page.GetByTestId("unreachable-clients");
        await Assertions.Expect(unreachable).ToContainTextAsync("Clients with no reachable address");
        await unreachable.GetByRole(AriaRole.Link, new() { Name = client }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/admin/clients/{client}$"));

        await page.GotoAsync($"/admin/suppressions?client={client}");
        await page.GetByTestId("suppressions").GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Remove entry") }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("removed; the address gets letters again");
        await page.GotoAsync("/admin");
        await Assertions.Expect(page.GetByTestId($"unreachable-{client}")).ToHaveCountAsync(0);
    }
}
