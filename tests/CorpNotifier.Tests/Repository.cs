namespace CorpNotifier.Tests;

/// <summary>Paths inside this repository, found from the test's output folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathTo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CorpNotifier.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CorpNotifier.sln not found above {AppContext.BaseDirectory}");
    }
}
