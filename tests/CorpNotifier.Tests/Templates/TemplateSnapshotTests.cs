using System.Text;
using System.Text.Json.Nodes;
using CorpNotifier.Mailers;
using CorpNotifier.Rules;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
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

    private static readonly Dictionary<string, string> Samples = new()
    {
        ["contract_id"] = "contract-7",
        ["external_id"] = "ДГ-2026/7",
        ["client_name"] = "ООО «Ромашка» & Co",
        ["old_balance"] = "150",
        ["new_balance"] = "5",
        ["currency"] = "RUB",
        ["temporary_password"] = "Xy7-tmp-pass",
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
        var args = new JsonObject();
        foreach (var name in rule.Arguments)
        {
            Samples.ContainsKey(name).ShouldBeTrue($"no sample value for argument {name}; add one to {nameof(TemplateSnapshotTests)}");
            args[name] = Samples[name];
        }

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
            letter.Subject.ShouldNotContain(Samples["temporary_password"]);
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

    private static LetterRenderer Renderer() => new(
        Options.Create(new TemplateOptions()),
        new SourceEnvironment(Repository.PathTo("src", "CorpNotifier")));

    private sealed class SourceEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "CorpNotifier";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
