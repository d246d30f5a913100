using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Mailers;

/// <summary>Section <c>Templates</c>: where the Liquid templates of the SMTP and file mailers live.</summary>
public sealed class TemplateOptions
{
    /// <summary>Folder with <c>{slug}/{locale}/subject.liquid</c>, <c>html.liquid</c> and <c>text.liquid</c>; relative to the content root.</summary>
    [Required]
    public string Folder { get; set; } = "Templates";

    /// <summary>The locale used when the client has none, and when a template has no version in the client's locale.</summary>
    [Required]
    public string DefaultLocale { get; set; } = "ru";
}

/// <summary>A rendered letter.</summary>
public sealed record RenderedLetter(string Subject, string Html, string Text, string Locale);

public sealed class TemplateNotFoundException(string message) : Exception(message);

/// <summary>
/// Renders a letter's subject, HTML and text from Liquid templates (Fluid). The template
/// arguments are the letter's args, by name: <c>{{ new_balance }}</c>. HTML is encoded.
/// Parsed templates are cached and re-read when their file changes.
/// </summary>
/// <remarks>
/// Arguments carry the producers' codes (<c>taxi</c>, <c>debt</c>), as the mail service's campaigns
/// take them; a template turns a code into the words people read with the <c>display_text</c> filter
/// and the name of its table, in the locale of the template being rendered:
/// <c>{{ contract_type | display_text: "contract_type" }}</c> (see <see cref="DisplayText"/>).
/// </remarks>
public sealed class LetterRenderer(IOptions<TemplateOptions> options, IHostEnvironment environment, DisplayText display)
{
    /// <summary>The Liquid filter that gives a code's display text: <c>{{ reason | display_text: "reason" }}</c>.</summary>
    public const string DisplayTextFilter = "display_text";

    // The locale of the templates being rendered, for the filter; not visible to templates.
    private const string LocaleKey = "corp-notifier.locale";

    private static readonly FluidParser Parser = new();

    // Encodes what HTML needs encoded, and leaves Cyrillic and other letters readable.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private readonly ConcurrentDictionary<string, (DateTime Modified, IFluidTemplate Template)> _cache = new();
    private readonly Fluid.TemplateOptions _fluid = FluidOptions(display);

    private string Root => Path.GetFullPath(options.Value.Folder, environment.ContentRootPath);

    public async Task<RenderedLetter> RenderAsync(string slug, string locale, JsonObject args)
    {
        var folder = LocaleFolder(slug, locale, out var usedLocale);
        var context = new TemplateContext(_fluid);
        context.AmbientValues[LocaleKey] = usedLocale;
        foreach (var (name, value) in args)
        {
            context.SetValue(name, ToClr(value));
        }

        var subject = await (await TemplateAsync(Path.Combine(folder, "subject.liquid"))).RenderAsync(context, NullEncoder.Default);
        var html = await (await TemplateAsync(Path.Combine(folder, "html.liquid"))).RenderAsync(context, Html);
        var text = await (await TemplateAsync(Path.Combine(folder, "text.liquid"))).RenderAsync(context, NullEncoder.Default);
        return new RenderedLetter(subject.Trim(), html, text, usedLocale);
    }

    public bool Exists(string slug, string locale) => Directory.Exists(Path.Combine(Root, slug, locale));

    private string LocaleFolder(string slug, string locale, out string usedLocale)
    {
        if (slug.Contains("..", StringComparison.Ordinal) || slug.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new TemplateNotFoundException($"'{slug}' is not a valid slug");
        }

        foreach (var candidate in new[] { locale, options.Value.DefaultLocale })
        {
            var folder = Path.Combine(Root, slug, candidate);
            if (Directory.Exists(folder))
            {
                usedLocale = candidate;
                return folder;
            }
        }

        throw new TemplateNotFoundException($"no template for slug '{slug}' in locale '{locale}' or '{options.Value.DefaultLocale}' under {Root}");
    }

    private async Task<IFluidTemplate> TemplateAsync(string path)
    {
        if (!File.Exists(path))
        {
            throw new TemplateNotFoundException($"template file {path} is missing");
        }

        var modified = File.GetLastWriteTimeUtc(path);
        if (_cache.TryGetValue(path, out var cached) && cached.Modified == modified)
        {
            return cached.Template;
        }

        var source = await File.ReadAllTextAsync(path);
        if (!Parser.TryParse(source, out var template, out var error))
        {
            throw new TemplateNotFoundException($"template {path} does not parse: {error}");
        }

        _cache[path] = (modified, template);
        return template;
    }

    private static Fluid.TemplateOptions FluidOptions(DisplayText display)
    {
        var fluid = new Fluid.TemplateOptions();
        fluid.Filters.AddFilter(DisplayTextFilter, (input, arguments, context) =>
        {
            // Nothing to look up: a missing or empty argument stays what it is (so `default` still applies).
            if (input.IsNil() || input.ToStringValue() is not { Length: > 0 } code)
            {
                return ValueTask.FromResult(input);
            }

            var table = arguments.At(0).ToStringValue();
            var locale = (string)context.AmbientValues[LocaleKey];
            return ValueTask.FromResult<FluidValue>(new StringValue(display.Of(table, code, locale)));
        });
        return fluid;
    }

    private static object? ToClr(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.GetValue<decimal>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        JsonArray array => array.Select(ToClr).ToList(),
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToClr(p.Value)),
        _ => node.ToJsonString(),
    };
}
