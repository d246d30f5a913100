using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Docs;

/// <summary>
/// docs/design.md names what the code has: every table of the model, every timeline entry type,
/// every event type and every feature folder. A table, a step or a folder added without a word in
/// the design fails here.
/// </summary>
public sealed class DesignDocTests
{
    private static readonly string Design = File.ReadAllText(Repository.PathTo("docs", "design.md"));

    [Fact]
    public void Every_table_of_the_model_is_in_the_data_section()
    {
        var options = new DbContextOptionsBuilder<SqliteNoticesDbContext>().UseSqlite("Data Source=:memory:").UseSnakeCaseNamingConvention().Options;
        using var db = new SqliteNoticesDbContext(options);
        var data = Section("## Data");

        db.Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct()
            .Where(table => !data.Contains($"`{table}`", StringComparison.Ordinal))
            .ShouldBeEmpty("tables docs/design.md's \"Data\" does not describe");
    }

    [Fact]
    public void Every_timeline_entry_type_is_listed()
    {
        var life = Section("## A notice's life");

        Enum.GetValues<TimelineEntryType>().Select(WireName.Of)
            .Where(type => !life.Contains($"`{type}`", StringComparison.Ordinal))
            .ShouldBeEmpty("timeline entry types docs/design.md's \"A notice's life\" does not list");
    }

    [Fact]
    public void Every_event_type_is_named_among_the_words()
    {
        var words = Section("## Words");

        EventTypes.All.Select(t => t.Name)
            .Where(name => !words.Contains($"`{name}`", StringComparison.Ordinal))
            .ShouldBeEmpty("event types docs/design.md's \"Words\" does not name");
    }

    [Fact]
    public void Every_feature_folder_is_described()
    {
        var pipeline = Section("## The pipeline");

        Directory.GetDirectories(Repository.PathTo("src", "CorpNotifier"))
            .Select(Path.GetFileName)
            .Where(folder => folder is not ("bin" or "obj" or "Properties" or "Templates"))
            .Where(folder => !pipeline.Contains($"`{folder}/`", StringComparison.Ordinal))
            .ShouldBeEmpty("folders docs/design.md's \"The pipeline\" does not describe");
    }

    /// <summary>The text of a level-two section, up to the next one.</summary>
    private static string Section(string heading)
    {
        var start = Design.IndexOf($"\n{heading}\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, $"docs/design.md has no section \"{heading}\"");
        var end = Design.IndexOf("\n## ", start + heading.Length + 2, StringComparison.Ordinal);
        return end < 0 ? Design[start..] : Design[start..end];
    }
}
