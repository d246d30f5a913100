using System.Text.Json.Nodes;
using CorpNotifier.Mailers;
using CorpNotifier.Tests.Integration;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Tests.Templates;

/// <summary>
/// Letters carry the producers' codes; our own templates show people words, through the
/// <c>display_text</c> filter over <c>Templates/display-text/{locale}.json</c>, in the locale of the
/// template being rendered.
/// </summary>
public sealed class DisplayTextFilterTests
{
    [Theory]
    [InlineData("ru", "Тип договора: Такси и доставка")]
    [InlineData("en", "Contract type: Taxi and delivery")]
    [InlineData("kk", "Тип договора: Такси и доставка")]
    public async Task A_code_reads_as_the_words_of_the_locale_the_letter_is_rendered_in(string locale, string expected)
    {
        var letter = await TemplateSnapshotTests.Renderer().RenderAsync("client-request-accepted", locale, new JsonObject { ["contract_type"] = "multi" });

        letter.Text.ShouldContain(expected);
        letter.Html.ShouldContain(expected.Replace(": ", ": <b>", StringComparison.Ordinal) + "</b>");
    }

    [Fact]
    public async Task A_code_without_words_reads_as_itself_and_is_logged_once()
    {
        var logs = new LogCapture();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var renderer = TemplateSnapshotTests.Renderer(TemplateSnapshotTests.Display(factory.CreateLogger<DisplayText>()));

        var first = await renderer.RenderAsync("new-trial-client", "ru", new JsonObject { ["yandex_login"] = "acme", ["contract_type"] = "scooter" });
        await renderer.RenderAsync("new-trial-client", "ru", new JsonObject { ["yandex_login"] = "acme", ["contract_type"] = "scooter" });

        first.Text.ShouldContain("Тип договора: scooter");
        logs.Entries.Where(e => e.Level == LogLevel.Warning).ShouldHaveSingleItem().Message
            .ShouldBe("No display text for scooter in table contract_type (ru); the code is shown as it is");
    }

    [Fact]
    public async Task A_missing_code_stays_empty_so_the_template_s_default_still_applies()
    {
        var letter = await TemplateSnapshotTests.Renderer().RenderAsync("offer-scoring", "ru", new JsonObject { ["request_id"] = "request-1" });

        letter.Text.ShouldContain("Тип договора: —");
    }

    [Theory]
    [InlineData("client-request-created", "ru", "Тип договора: Доставка", "Страна: Израиль")]
    [InlineData("client-request-created", "en", "Contract type: Delivery", "Country: Israel")]
    [InlineData("offer-scoring", "ru", "Тип договора: Доставка", null)]
    [InlineData("offer-scoring", "en", "Contract type: Delivery", null)]
    [InlineData("trial-follow-up", "ru", null, "Страна: Израиль")]
    public async Task The_staff_letters_show_words_for_the_contract_type_and_the_country(string slug, string locale, string? contractType, string? country)
    {
        var letter = await TemplateSnapshotTests.Renderer().RenderAsync(slug, locale, new JsonObject { ["contract_type"] = "cargo", ["locale"] = "isr" });

        foreach (var words in new[] { contractType, country }.OfType<string>())
        {
            letter.Text.ShouldContain(words);
        }

        letter.Text.ShouldNotContain(": cargo", Case.Sensitive);
        letter.Text.ShouldNotContain(": isr", Case.Sensitive);
    }
}
