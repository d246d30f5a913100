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

    /// <summary><c>is_active</c> as the rule stores it (a boolean), as a manual send may give it (text), or missing (a letter stored before it existed).</summary>
    [Theory]
    [InlineData("taxi-contract-activate", "ru", "false", "Корпоративное такси: договор ДГ-7 заблокирован", "Оператор заблокировал договор ДГ-7")]
    [InlineData("taxi-contract-activate", "ru", "true", "Корпоративное такси: договор ДГ-7 разблокирован", "Оператор разблокировал договор ДГ-7")]
    [InlineData("taxi-contract-activate", "ru", "\"false\"", "Корпоративное такси: договор ДГ-7 заблокирован", "Оператор заблокировал договор ДГ-7")]
    [InlineData("taxi-contract-activate", "ru", "\"true\"", "Корпоративное такси: договор ДГ-7 разблокирован", "Оператор разблокировал договор ДГ-7")]
    [InlineData("taxi-contract-activate", "ru", null, "Корпоративное такси: изменён статус договора ДГ-7", "Оператор изменил статус договора ДГ-7")]
    [InlineData("cargo-contract-activate", "ru", "false", "Доставка: договор ДГ-7 заблокирован", "Оператор заблокировал договор ДГ-7")]
    [InlineData("cargo-contract-activate", "ru", "true", "Доставка: договор ДГ-7 разблокирован", "Оператор разблокировал договор ДГ-7")]
    [InlineData("taxi-contract-activate", "en", "false", "Corporate taxi: contract ДГ-7 has been blocked", "An operator has blocked contract ДГ-7")]
    [InlineData("taxi-contract-activate", "en", "true", "Corporate taxi: contract ДГ-7 has been unblocked", "An operator has unblocked contract ДГ-7")]
    [InlineData("cargo-contract-activate", "en", "false", "Delivery: contract ДГ-7 has been blocked", "An operator has blocked contract ДГ-7")]
    [InlineData("cargo-contract-activate", "en", "true", "Delivery: contract ДГ-7 has been unblocked", "An operator has unblocked contract ДГ-7")]
    public async Task The_contract_settings_letter_says_whether_the_contract_was_blocked_or_unblocked(string slug, string locale, string? isActive, string subject, string body)
    {
        var args = new JsonObject { ["reason"] = "debt", ["external_contract_id"] = "ДГ-7" };
        if (isActive is not null)
        {
            args["is_active"] = JsonNode.Parse(isActive);
        }

        var letter = await TemplateSnapshotTests.Renderer().RenderAsync(slug, locale, args);

        letter.Subject.ShouldBe(subject);
        letter.Text.ShouldContain(body);
        letter.Text.ShouldContain(locale == "ru" ? "Причина: Задолженность по договору" : "Reason: Outstanding debt");
        letter.Html.ShouldContain(locale == "ru" ? "Причина: <b>Задолженность по договору</b>" : "Reason: <b>Outstanding debt</b>");
    }

    [Fact]
    public async Task The_contract_settings_letter_of_an_unknown_contract_reads_without_a_number()
    {
        var letter = await TemplateSnapshotTests.Renderer().RenderAsync("taxi-contract-activate", "ru", new JsonObject { ["reason"] = "notify", ["external_contract_id"] = "", ["is_active"] = false });

        letter.Subject.ShouldBe("Корпоративное такси: договор заблокирован");
        letter.Text.ShouldContain("Оператор заблокировал договор, по которому");
        letter.Text.ShouldContain("Причина: По уведомлению");
    }
}
