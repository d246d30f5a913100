using System.Text;
using System.Text.Json.Nodes;
using CorpNotifier.Mailers;
using CorpNotifier.Rules;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Templates;

/// <summary>
/// Every notice renders in every locale, and the rendered letters (subject, text, HTML) match their
/// committed snapshots in tests/CorpNotifier.Tests/Templates/Snapshots. After an intended change:
/// <c>UPDATE_SNAPSHOTS=1 dotnet test --filter TemplateSnapshotTests</c>, review the diff, commit.
/// </summary>
public sealed class TemplateSnapshotTests
{
    public static readonly string[] Locales = ["ru", "en"];

    private const string SampleToken = "sample-fernet-token";

    /// <summary>
    /// A sample of every argument a notice stores — codes as the producers send them, which the
    /// templates turn into words (<c>display_text</c>); the manager letters' own values are in
    /// <see cref="ManagerSamples"/>. The letter the mailer gets is made from them by the rule (<c>ForMailer</c>).
    /// </summary>
    private static readonly Dictionary<string, JsonNode?> Samples = new()
    {
        ["contract_id"] = "contract-7",
        ["external_id"] = "ДГ-2026/7",
        ["client_name"] = "ООО «Ромашка» & Co",
        ["old_balance"] = "150",
        ["new_balance"] = "5",
        ["currency"] = "RUB",
        ["temporary_password"] = "Xy7-tmp-pass",
        ["letter_id"] = "9f1c2d3e-0000-5000-8000-000000000001",
        ["request_id"] = "request-1",
        ["client_id"] = "client-42",
        ["company_name"] = "Ромашка",
        ["contact_name"] = "Анна Петрова",
        ["contact_phone"] = "+79990001122",
        ["contact_email"] = "anna@romashka.example",
        ["city"] = "Москва",
        ["yandex_login"] = "romashka-corp",
        ["locale"] = "rus",
        ["full_corp_name"] = "Общество с ограниченной ответственностью «Ромашка»",
        ["short_corp_name"] = "ООО «Ромашка»",
        ["corp_form"] = "ООО",
        ["inn"] = "7701234567",
        ["signer_name"] = "Иван Иванов",
        ["signer_position"] = "Генеральный директор",
        ["signer_sex"] = "male",
        ["offer"] = true,
        ["references"] = "<li>utm_source – search</li><li>utm_campaign – autumn &amp; winter</li>",
        ["contract_type"] = "multi",
        ["ogrn"] = "1027700132195",
        ["kpp"] = "770101001",
        ["bik"] = "044525225",
        ["account"] = "40702810938000000001",
        ["registration_date"] = "2015-03-04, 09:30",
        ["business_entity_number"] = "515555555",
        ["reject_reason"] = "Не хватает документов",
        ["manager_name"] = "Мария Смирнова @m.smirnov",
        ["country"] = "rus",
        ["enterprise_name_short"] = "ООО «Ромашка»",
        ["enterprise_name_full"] = "Общество с ограниченной ответственностью «Ромашка»",
        ["company_tin"] = "7701234567",
        ["company_cio"] = "770101001",
        ["kbe"] = "17",
        ["legal_address"] = "Москва, ул. Льва Толстого, 16",
        ["mailing_address"] = "Москва, ул. Льва Толстого, 16",
        ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Анна Петрова", ["email"] = "anna@romashka.example", ["phone"] = "+79990001122" }),
        ["bank_account_number"] = "40702810938000000001",
        ["bank_name"] = "ПАО Сбербанк",
        ["bank_bic"] = "044525225",
        ["attachments"] = new JsonArray(new JsonObject { ["url"] = "https://files.example/charter.pdf", ["filename"] = "charter.pdf" }),
        ["crm_link"] = "https://crm.example/requests/1",
        ["st_link"] = "",
        ["client_login"] = "romashka-corp",
        ["billing_external_id"] = "ДГ-7",
        ["billing_client_id"] = "b-1",
        ["billing_person_id"] = "p-1",
        ["billing_contract_id"] = "bc-1",
        ["additional_information"] = "Звонить после 12:00.\nСпросить про доставку.",
        ["reason"] = "debt",
        ["external_contract_id"] = "ДГ-7",
        ["is_active"] = false,
        ["encrypted_password"] = SampleToken,
        ["login"] = "romashka-corp",
        ["offer_contract_type"] = "postpaid",
        ["contract_service"] = "taxi",
    };

    /// <summary>
    /// The manager letters' own values: Russian display text for the codes (as the production
    /// letters have them), and the producer's free-text <c>reason</c> of a rejection.
    /// </summary>
    private static readonly Dictionary<string, JsonNode?> ManagerSamples = new()
    {
        ["status"] = "Принята",
        ["service"] = "Такси",
        ["contract_type"] = "Такси",
        ["signer_duly_authorized"] = "Устав",
        ["reason"] = "Задолженность",
    };

    public static TheoryData<string, string> KindsAndLocales()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in NoticeCatalog.Discover().Rules)
        {
            foreach (var locale in Locales)
            {
                data.Add(rule.Kind, locale);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndLocales))]
    public async Task The_rendered_letter_matches_its_snapshot(string kind, string locale)
    {
        var rule = NoticeCatalog.Discover().Find(kind)!;
        var renderer = Renderer();
        renderer.Exists(rule.DefaultSlug, locale).ShouldBeTrue($"no {locale} template for {kind} (slug {rule.DefaultSlug})");
        var stored = new JsonObject();
        var samples = rule.Audience == Audience.Manager ? Samples.Concat(ManagerSamples).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value) : Samples;

        foreach (var name in rule.Arguments)
        {
            samples.ContainsKey(name).ShouldBeTrue($"no sample value for argument {name}; add one to {nameof(TemplateSnapshotTests)}");
            stored[name] = samples[name]?.DeepClone();
        }

        var args = rule.ForMailer(stored, new MailerContext(token => token == SampleToken ? "Xy7-tmp-pass" : null)).Args!;
        var letter = await renderer.RenderAsync(rule.DefaultSlug, locale, args);
        letter.Locale.ShouldBe(locale);
        var rendered = new StringBuilder()
            .AppendLine($"Subject: {letter.Subject}")
            .AppendLine("----- text -----")
            .AppendLine(letter.Text.TrimEnd())
            .AppendLine("----- html -----")
            .AppendLine(letter.Html.TrimEnd())
            .ToString();
        var path = Repository.PathTo("tests", "CorpNotifier.Tests", "Templates", "Snapshots", $"{rule.DefaultSlug}.{locale}.txt");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, rendered);
        }

        File.Exists(path).ShouldBeTrue($"{path} is missing; run UPDATE_SNAPSHOTS=1 dotnet test --filter TemplateSnapshotTests");
        rendered.ShouldBe(await File.ReadAllTextAsync(path));
        letter.Subject.ShouldNotContain("{{");
        letter.Text.ShouldNotContain("{{");
        if (rule.SecretArguments.Count > 0)
        {
            letter.Subject.ShouldNotContain("Xy7-tmp-pass");
        }
    }

    [Fact]
    public async Task Html_is_encoded_but_letters_stay_readable()
    {
        var letter = await Renderer().RenderAsync("activate-client", "ru", new JsonObject { ["contract_id"] = "c", ["client_name"] = "<script>x</script> Ромашка" });
        letter.Html.ShouldContain("&lt;script&gt;x&lt;/script&gt; Ромашка");
        letter.Text.ShouldContain("<script>x</script> Ромашка");
    }

    [Fact]
    public async Task A_locale_without_templates_falls_back_to_the_default_locale() =>
        (await Renderer().RenderAsync("low-balance", "kk", new JsonObject { ["contract_id"] = "c" })).Locale.ShouldBe("ru");

    [Fact]
    public async Task An_unknown_slug_is_refused() =>
        await Should.ThrowAsync<TemplateNotFoundException>(() => Renderer().RenderAsync("../secrets", "ru", []));

    internal static DisplayText Display(ILogger<DisplayText>? logger = null) => new(
        Options.Create(new TemplateOptions()),
        new SourceEnvironment(Repository.PathTo("src", "CorpNotifier")),
        logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<DisplayText>.Instance);

    internal static LetterRenderer Renderer(DisplayText? display = null) => new(
        Options.Create(new TemplateOptions()),
        new SourceEnvironment(Repository.PathTo("src", "CorpNotifier")),
        display ?? Display());

    private sealed class SourceEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "CorpNotifier";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
