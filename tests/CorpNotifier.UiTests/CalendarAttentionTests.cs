using System.Globalization;
using System.Text.RegularExpressions;
using CorpNotifier.Contracts;
using static CorpNotifier.UiTests.ConsoleFixture;

namespace CorpNotifier.UiTests;

/// <summary>The attention page names the countries letters are planned for with no business calendar, with their pending letters.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Ui")]
public sealed class CalendarAttentionTests(ConsoleFixture console) : ConsoleTest(console)
{
    [Fact]
    public async Task A_pending_letter_of_a_country_with_no_calendar_shows_on_the_attention_page_with_its_count_and_leads_to_its_letters()
    {
        // Uzbekistan has no calendar: neither shipped as data nor in the PublicHoliday package.
        const string client = "ui-client-uzb";
        await Console.SendAsync(TestEvents.RealTime.Profile(client) with { Country = "uzb", TimeZone = "Asia/Tashkent" });
        var inactive = new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] };
        await Console.SendAsync(TestEvents.RealTime.Contract(client, inactive, inactive with { IsActive = true }, contractId: "ui-contract-uzb"));
        var page = await Console.NewPageAsync();
        await SignInAsync(page, Auth.Roles.Viewer);

        await page.GotoAsync("/admin");

        var countries = page.GetByTestId("countries-without-calendar");
        await Assertions.Expect(countries).ToContainTextAsync("Monday to Friday is used for them");
        var row = countries.GetByRole(AriaRole.Row).Filter(new() { HasText = "uzb" });
        var count = row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("pending letters of uzb") });
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        var letters = int.Parse(await count.InnerTextAsync(), CultureInfo.InvariantCulture);
        await Assertions.Expect(page.GetByTestId("calendar-attention")).ToContainTextAsync("Add the country's calendar (or the missing year) on the calendars page");
        await ScreenshotAsync(page, "attention-calendars");
        await AssertAccessibleAsync(page);

        await count.ClickAsync();

        await Assertions.Expect(page.GetByLabel("Country")).ToHaveValueAsync("uzb");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync($"{letters} letters, newest first");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = client }).First).ToBeVisibleAsync();
    }
}
