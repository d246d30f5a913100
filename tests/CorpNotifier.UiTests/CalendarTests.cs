using System.Text;
using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>
/// Business calendars in the console: the calendars' pages show a year as twelve months, which admins edit
/// or import and viewers only read.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class CalendarTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task An_admin_adds_a_day_off_and_sees_it_on_the_grid_and_in_the_audit()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Admin);
        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Calendars" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("calendar-blr")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await page.GetByTestId("calendar-blr").GetByRole(AriaRole.Link, new() { Name = "2027", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Business calendar of blr, 2027");
        var day = page.Locator("[data-date='2027-03-15']");
        await Assertions.Expect(day).ToHaveAttributeAsync("data-kind", "business");

        var daysOff = page.GetByLabel("Days off", new() { Exact = true });
        await daysOff.FillAsync(await daysOff.InputValueAsync() + "\n2027-03-15 A day off the console added");
        await page.GetByLabel("Why (for the audit)").First.FillAsync("the decree moved it");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("saved")).ToContainTextAsync("pending letters re-planned");
        await Assertions.Expect(day).ToHaveAttributeAsync("data-kind", "off");
        await Assertions.Expect(day).ToHaveAttributeAsync("title", "2027-03-15: day off — A day off the console added");
        await Assertions.Expect(page.GetByTestId("origin")).ToHaveTextAsync("edited by an operator");
        await ScreenshotAsync(page, "calendar");
        await AssertAccessibleAsync(page);

        await page.GotoAsync($"/admin/audit?actor={NameOf(Auth.Roles.Admin)}");
        await Assertions.Expect(page.GetByTestId("audit").GetByRole(AriaRole.Row).Filter(new() { HasText = "blr" }).First).ToContainTextAsync("2027-03-15");
    }

    [Fact]
    public async Task A_stale_calendar_edit_is_refused_and_changes_nothing()
    {
        var mine = await Console.NewPageAsync();
        var theirs = await Console.NewPageAsync();
        await SignInAsync(mine, Auth.Roles.Admin);
        await SignInAsync(theirs, Auth.Roles.Admin);
        await mine.GotoAsync("/admin/calendars/kaz/2027");
        await theirs.GotoAsync("/admin/calendars/kaz/2027");

        await AddDayOffAsync(theirs, "2027-04-13 theirs");
        await Assertions.Expect(theirs.GetByTestId("saved")).ToBeVisibleAsync();
        await AddDayOffAsync(mine, "2027-04-14 mine");

        var stale = mine.GetByTestId("stale");
        await Assertions.Expect(stale).ToContainTextAsync("Your changes were not saved.");
        await Assertions.Expect(stale).ToContainTextAsync(NameOf(Auth.Roles.Admin));
        await Assertions.Expect(stale).ToContainTextAsync("2027-04-14 mine");
        await Assertions.Expect(mine.Locator("[data-date='2027-04-14']")).ToHaveAttributeAsync("data-kind", "business");
        await Assertions.Expect(mine.Locator("[data-date='2027-04-13']")).ToHaveAttributeAsync("data-kind", "off");
        await AssertAccessibleAsync(mine);

        await mine.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(mine.GetByTestId("saved")).ToBeVisibleAsync();
        await Assertions.Expect(mine.Locator("[data-date='2027-04-14']")).ToHaveAttributeAsync("data-kind", "off");
    }

    [Fact]
    public async Task A_viewer_reads_a_calendar_without_forms_and_a_change_posted_anyway_is_refused_with_403()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);
        await page.GotoAsync("/admin/calendars/rus/2027");

        await Assertions.Expect(page.GetByTestId("months").Locator("table.month")).ToHaveCountAsync(12);
        await Assertions.Expect(page.GetByTestId("read-only")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.GetAttributeAsync("value");
        var response = await page.APIRequest.PostAsync("/admin/calendars/rus/2027", new()
        {
            Form = page.APIRequest.CreateFormData()
                .Set("_handler", "calendar").Set("__RequestVerificationToken", token!)
                .Set("Form.Version", "0").Set("Form.Source", "a viewer's").Set("Form.DaysOff", "2027-03-15 a viewer's"),
            MaxRedirects = 0,
        });

        response.Status.ShouldBe(403);
        await page.GotoAsync("/admin/calendars/rus/2027");
        await Assertions.Expect(page.Locator("[data-date='2027-03-15']")).ToHaveAttributeAsync("data-kind", "business");
    }

    [Fact]
    public async Task An_admin_imports_a_year_as_a_file_and_lands_on_that_year()
    {
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Admin);
        await page.GotoAsync("/admin/calendars/blr/2028");
        const string file = """
            {
              "country": "blr",
              "year": 2028,
              "source": "A test's calendar of Belarus for 2028",
              "daysOff": [ { "date": "2028-01-07", "note": "Orthodox Christmas" } ],
              "workingDays": [ { "date": "2028-01-15", "note": "worked for 2028-01-07" } ]
            }
            """;

        await page.GetByLabel("Calendar file (JSON)").SetInputFilesAsync(new FilePayload { Name = "blr-2028.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(file) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("saved")).ToContainTextAsync("Imported as version");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Business calendar of blr, 2028");
        await Assertions.Expect(page.Locator("[data-date='2028-01-07']")).ToHaveAttributeAsync("data-kind", "off");
        await Assertions.Expect(page.Locator("[data-date='2028-01-15']")).ToHaveAttributeAsync("data-kind", "working");
        await Assertions.Expect(page.GetByTestId("origin")).ToHaveTextAsync("imported from a file");
    }

    private static async Task AddDayOffAsync(IPage page, string line)
    {
        var daysOff = page.GetByLabel("Days off", new() { Exact = true });
        await daysOff.FillAsync(await daysOff.InputValueAsync() + "\n" + line);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
    }
}
