using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>Signing in to the console with a personal API key, and out again.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class SignInTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Theory]
    [InlineData(Auth.Roles.Viewer)]
    [InlineData(Auth.Roles.Operator)]
    [InlineData(Auth.Roles.Admin)]
    public async Task A_console_role_signs_in_and_sees_its_name_and_role_in_the_header(string role)
    {
        var page = await Console.NewPageAsync();

        await SignInAsync(page, role);

        page.Url.ShouldBe($"{Console.BaseUrl}/admin");
        (await page.GetByTestId("who").TextContentAsync()).ShouldBe($"ui-{role} ({role})");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_producer_key_is_refused_with_403_and_a_message_naming_its_role()
    {
        var page = await Console.NewPageAsync();
        await page.GotoAsync("/admin/signin");

        var status = await SubmitKeyAsync(page, KeyOf(Auth.Roles.Producer));

        status.ShouldBe(403);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("The key of ui-producer has the role 'producer', which is for sending events, not for the console.");
        await Assertions.Expect(page.GetByTestId("who")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_with_401_and_a_message()
    {
        var page = await Console.NewPageAsync();
        await page.GotoAsync("/admin/signin");

        var status = await SubmitKeyAsync(page, "no-such-key");

        status.ShouldBe(401);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("This key is not known. Check it, or ask an admin for a personal key.");
        await Assertions.Expect(page.GetByTestId("who")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unauthenticated_visit_goes_to_sign_in_and_back_to_the_page_after_it()
    {
        var page = await Console.NewPageAsync();

        await page.GotoAsync("/admin");

        page.Url.ShouldBe($"{Console.BaseUrl}/admin/signin?returnUrl=%2Fadmin");
        await page.GetByLabel("Personal API key").FillAsync(KeyOf(Auth.Roles.Viewer));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("who")).ToHaveTextAsync("ui-viewer (viewer)");
        page.Url.ShouldBe($"{Console.BaseUrl}/admin");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("What needs attention");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Operator);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/signin");
        await page.GotoAsync("/admin");

        page.Url.ShouldBe($"{Console.BaseUrl}/admin/signin?returnUrl=%2Fadmin");
        await Assertions.Expect(page.GetByTestId("who")).ToHaveCountAsync(0);
    }

    /// <summary>Fills the key in and submits it; the status of the sign-in form's answer.</summary>
    private static async Task<int> SubmitKeyAsync(IPage page, string key)
    {
        await page.GetByLabel("Personal API key").FillAsync(key);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/admin/signin", StringComparison.Ordinal));
        return response.Status;
    }
}
