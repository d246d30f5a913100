using System.Text.RegularExpressions;

namespace CorpNotifier.Tests.Architecture;

/// <summary>
/// The service's feature folders depend on each other in one direction only, and a letter's life
/// is changed in one place. Read from the sources: a folder is a namespace
/// (<c>src/CorpNotifier/Notices</c> is <c>CorpNotifier.Notices</c>), and a folder uses another when
/// one of its files imports or names it. Generated migrations are left out.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string Source = Repository.PathTo("src", "CorpNotifier");

    private static readonly IReadOnlyList<string> Folders = Directory.GetDirectories(Source)
        .Select(Path.GetFileName)
        .Where(f => Directory.EnumerateFiles(Path.Combine(Source, f!), "*.cs", SearchOption.AllDirectories).Any(file => !IsGenerated(file)))
        .Select(f => f!)
        .Order(StringComparer.Ordinal)
        .ToList();

    [Fact]
    public void Every_file_lives_in_the_namespace_of_its_folder()
    {
        var misplaced = Files()
            .Select(file => (file.Folder, file.Path, Namespace: FileNamespace().Match(file.Text).Groups[1].Value))
            .Where(f => f.Namespace != $"CorpNotifier.{f.Folder}" && !f.Namespace.StartsWith($"CorpNotifier.{f.Folder}.", StringComparison.Ordinal))
            .Select(f => $"{Path.GetRelativePath(Source, f.Path)} is in {f.Namespace}")
            .ToList();
        misplaced.ShouldBeEmpty();
    }

    [Fact]
    public void No_two_folders_depend_on_each_other_through_any_path()
    {
        var uses = Uses();
        var cycles = new List<string>();
        foreach (var start in Folders)
        {
            if (PathBack(uses, start) is { } cycle)
            {
                cycles.Add(string.Join(" → ", cycle));
            }
        }

        cycles.ShouldBeEmpty("folder dependencies must form no cycle; the uses are:\n" +
            string.Join("\n", uses.OrderBy(u => u.Key).Select(u => $"{u.Key} → {string.Join(", ", u.Value.Order())}")));
    }

    [Fact]
    public void A_letter_s_status_and_timeline_are_changed_by_the_ledger_only()
    {
        var writes = Files()
            .Where(f => !f.Path.EndsWith(Path.Combine("Notices", "NoticeLedger.cs"), StringComparison.Ordinal))
            .SelectMany(f => StatusOrTimelineWrite().Matches(f.Text).Select(m => $"{Path.GetRelativePath(Source, f.Path)}: {m.Value}"))
            .ToList();
        writes.ShouldBeEmpty("only Notices/NoticeLedger.cs sets a letter's status or writes its timeline");
    }

    [Fact]
    public void The_console_reaches_data_through_the_application_layer_only()
    {
        var console = Path.Combine(Source, "AdminUi");
        var reaching = Directory.EnumerateFiles(console, "*.*", SearchOption.AllDirectories)
            .Where(file => (file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".razor", StringComparison.Ordinal)) && !IsGenerated(file))
            .Where(file => DatabaseAccess().IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(Source, file))
            .ToList();
        reaching.ShouldBeEmpty("the console's pages and helpers call Admin's queries and operations, never the database");
    }

    /// <summary>The first folder path from <paramref name="start"/> back to itself, or null.</summary>
    private static List<string>? PathBack(Dictionary<string, HashSet<string>> uses, string start)
    {
        var stack = new Stack<List<string>>([[start]]);
        var seen = new HashSet<string>();
        while (stack.TryPop(out var path))
        {
            foreach (var next in uses.GetValueOrDefault(path[^1]) ?? [])
            {
                if (next == start)
                {
                    return [.. path, next];
                }

                if (seen.Add(next))
                {
                    stack.Push([.. path, next]);
                }
            }
        }

        return null;
    }

    private static Dictionary<string, HashSet<string>> Uses()
    {
        var uses = Folders.ToDictionary(f => f, _ => new HashSet<string>());
        foreach (var file in Files())
        {
            foreach (var other in Folders.Where(o => o != file.Folder))
            {
                var imports = file.Text.Contains($"using CorpNotifier.{other};", StringComparison.Ordinal)
                    || file.Text.Contains($"using CorpNotifier.{other}.", StringComparison.Ordinal);
                var names = Regex.IsMatch(file.Text, $@"(?<![\w.])(CorpNotifier\.)?{other}\.[A-Z]");
                if (imports || names)
                {
                    uses[file.Folder].Add(other);
                }
            }
        }

        return uses;
    }

    private static IEnumerable<(string Folder, string Path, string Text)> Files() =>
        Folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsGenerated(file))
            .Select(file => (folder, file, File.ReadAllText(file))));

    private static bool IsGenerated(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"\bNoticesDbContext\b|\bDbContext\b|using CorpNotifier\.Persistence;|@using CorpNotifier\.Persistence\b|Microsoft\.EntityFrameworkCore")]
    private static partial Regex DatabaseAccess();

    // An event's status (EventStatus, set by intake's parking) is not a letter's.
    [GeneratedRegex(@"\.Status\s*=(?!\s*EventStatus\.)[^=>]|SetProperty\(\w+ => \w+\.Status\b(?!,\s*EventStatus\.)|Timeline\.Add\(|new NoticeTimelineEntry\b")]
    private static partial Regex StatusOrTimelineWrite();
}
