using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Mailers;

/// <summary>
/// The text people read for a code (<c>taxi</c> → <c>Такси</c>), from one table per locale next to
/// the templates (<c>Templates/display-text/{locale}.json</c>: table → code → text). A code a table
/// does not have is shown as the code, and logged once as a warning. The templates use it through
/// the <c>display_text</c> filter, in the letter's locale (<see cref="LetterRenderer"/>); the manager
/// letters also carry it in their arguments, in Russian, as the production letters do.
/// </summary>
public sealed partial class DisplayText
{
    /// <summary>The locale of the display text in the manager letters' arguments (the mail service's templates for them are Russian).</summary>
    public const string ArgumentsLocale = "ru";

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> _tables = new();
    private readonly ConcurrentDictionary<(string, string, string), bool> _warned = new();
    private readonly Func<string, Stream?> _openTable;
    private readonly ILogger _logger;

    /// <summary>The tables in the templates folder, read once per locale.</summary>
    public DisplayText(IOptions<TemplateOptions> options, IHostEnvironment environment, ILogger<DisplayText> logger)
        : this(locale => OpenFile(Path.Combine(Path.GetFullPath(options.Value.Folder, environment.ContentRootPath), "display-text", $"{locale}.json")), logger)
    {
    }

    private DisplayText(Func<string, Stream?> openTable, ILogger logger)
    {
        _openTable = openTable;
        _logger = logger;
    }

    /// <summary>
    /// The tables as the service ships them (<c>Templates/display-text</c>, built into the assembly),
    /// for the pipeline run where there is no templates folder: the producers' test kit.
    /// </summary>
    public static DisplayText BuiltIn(ILogger logger) =>
        new(locale => typeof(DisplayText).Assembly.GetManifestResourceStream($"display-text/{locale}.json"), logger);

    public string Of(string table, string code, string locale = ArgumentsLocale)
    {
        if (Tables(locale).TryGetValue(table, out var texts) && texts.TryGetValue(code, out var text))
        {
            return text;
        }

        if (_warned.TryAdd((locale, table, code), true))
        {
            LogUnknown(table, code, locale);
        }

        return code;
    }

    private IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Tables(string locale) =>
        _tables.GetOrAdd(locale, l =>
        {
            using var table = _openTable(l);
            return table is null
                ? new Dictionary<string, IReadOnlyDictionary<string, string>>()
                : JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(table)!
                    .ToDictionary(t => t.Key, t => (IReadOnlyDictionary<string, string>)t.Value);
        });

    private static FileStream? OpenFile(string path) => File.Exists(path) ? File.OpenRead(path) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No display text for {Code} in table {Table} ({Locale}); the code is shown as it is")]
    private partial void LogUnknown(string table, string code, string locale);
}
