using System.Reflection;
using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Rules.Requests;

namespace CorpNotifier.Tests.Templates;

/// <summary>
/// Every code the contracts define for a field a letter shows has words in every locale's
/// display table (<c>Templates/display-text/{locale}.json</c>): a new code without them would
/// reach a client as the bare code.
/// </summary>
public sealed class DisplayTextTests
{
    public static TheoryData<string, string> Tables()
    {
        var data = new TheoryData<string, string>();
        foreach (var locale in TemplateSnapshotTests.Locales)
        {
            foreach (var table in Codes.Keys)
            {
                data.Add(locale, table);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, Type[]> Codes = new()
    {
        [RequestArguments.Tables.Status] = [typeof(ClientRequestStatuses), typeof(ManagerRequestStatuses)],
        [RequestArguments.Tables.Service] = [typeof(Services)],
        [RequestArguments.Tables.ContractType] = [typeof(RequestContractTypes), typeof(PaymentTypes)],
        [RequestArguments.Tables.SignerDulyAuthorized] = [typeof(SignerAuthorities)],
        [RequestArguments.Tables.ThresholdType] = [typeof(ThresholdTypes)],
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_code_has_words(string locale, string table)
    {
        var texts = Read(locale);
        texts.ShouldContainKey(table);
        var codes = Codes[table]
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        codes.ShouldNotBeEmpty();
        foreach (var code in codes)
        {
            texts[table].ShouldContainKey(code, $"{locale}.json has no words for {table} '{code}'");
            texts[table][code].ShouldNotBeNullOrWhiteSpace();
            texts[table][code].ShouldNotBe(code);
        }
    }

    [Fact]
    public void Every_locale_has_the_same_tables_and_codes()
    {
        var reference = Read("ru");
        foreach (var locale in TemplateSnapshotTests.Locales)
        {
            var texts = Read(locale);
            texts.Keys.Order().ShouldBe(reference.Keys.Order(), locale);
            foreach (var (table, codes) in reference)
            {
                texts[table].Keys.Order().ShouldBe(codes.Keys.Order(), $"{locale}.json, table {table}");
            }
        }
    }

    [Fact]
    public void The_tables_built_into_the_assembly_are_the_files_as_shipped()
    {
        var builtIn = CorpNotifier.Mailers.DisplayText.BuiltIn(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        foreach (var locale in TemplateSnapshotTests.Locales)
        {
            foreach (var (table, codes) in Read(locale))
            {
                foreach (var (code, text) in codes)
                {
                    builtIn.Of(table, code, locale).ShouldBe(text, $"{locale}: {table} '{code}'");
                }
            }
        }
    }

    private static Dictionary<string, Dictionary<string, string>> Read(string locale) =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(
            File.ReadAllText(Repository.PathTo("src", "CorpNotifier", "Templates", "display-text", $"{locale}.json")))!;
}
