
namespace CorpNotifier.Tests.Contracts;

/// <summary>
/// The committed JSON Schemas (what Python producers validate against) must match the C#
/// contracts. After an intended contract change, regenerate them with
/// <c>UPDATE_SCHEMAS=1 dotnet test --filter SchemaDriftTests</c> and commit the result.
/// </summary>
public sealed class SchemaDriftTests
{
    public static TheoryData<string> EventTypeNames => [.. EventTypes.ByName.Keys];

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void The_committed_schema_matches_the_contract(string eventType)
    {
        var path = Repository.PathTo("contracts", "schemas", $"{eventType}.schema.json");
        var generated = EventSchemas.ToText(EventSchemas.For(eventType));
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMAS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        File.Exists(path).ShouldBeTrue($"{path} is missing; run UPDATE_SCHEMAS=1 dotnet test --filter SchemaDriftTests");
        File.ReadAllText(path).ShouldBe(generated, $"{path} drifted from the C# contract; run UPDATE_SCHEMAS=1 dotnet test --filter SchemaDriftTests");
    }

    [Fact]
    public void Every_schema_file_belongs_to_a_known_event_type()
    {
        var files = Directory.GetFiles(Repository.PathTo("contracts", "schemas"), "*.schema.json")
            .Select(f => Path.GetFileName(f).Replace(".schema.json", "", StringComparison.Ordinal));
        files.ShouldBe(EventTypes.ByName.Keys, ignoreOrder: true);
    }
}
