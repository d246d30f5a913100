namespace CorpNotifier.TestHosting;

/// <summary>Where the repository is, and the service's build output in it.</summary>
public static class HostBuild
{
    /// <summary>The folder above this program that holds <c>CorpNotifier.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// <c>CorpNotifier.dll</c> of the service built in the same configuration as the program that
    /// asks (<c>tests/{Project}/bin/{Configuration}/net10.0/</c> → <c>src/CorpNotifier/bin/{Configuration}/net10.0/</c>);
    /// missing, a failure that says to build the solution.
    /// </summary>
    public static string Dll
    {
        get
        {
            var dll = DllOf(Configuration, Framework);
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The service build is missing at {dll}; build the solution first (dotnet build CorpNotifier.sln -c {Configuration}).", dll);
        }
    }

    /// <summary>The configuration the program that asks was built in (<c>Release</c>, <c>Debug</c>): the service's build is sought in the same one.</summary>
    public static string Configuration => Bin.Parent!.Name;

    /// <summary>The service's project folder, <c>src/CorpNotifier</c>.</summary>
    public static string Project => Path.Combine(RepositoryRoot, "src", "CorpNotifier");

    private static string Framework => Bin.Name;

    private static DirectoryInfo Bin => new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>Where the build of <paramref name="configuration"/> puts <c>CorpNotifier.dll</c> (whether or not it is there).</summary>
    public static string DllOf(string configuration, string framework = "net10.0") =>
        Path.Combine(Project, "bin", configuration, framework, "CorpNotifier.dll");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CorpNotifier.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No CorpNotifier.sln above {AppContext.BaseDirectory}.");
    }
}
