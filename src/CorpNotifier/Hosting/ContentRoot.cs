namespace CorpNotifier.Hosting;

/// <summary>
/// Where the service finds <c>appsettings.json</c>, <c>Templates/</c> and relative data paths: the
/// folder that holds the application, whatever the working directory it was started from (systemd,
/// a container, a scheduler start it anywhere). <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c>
/// (<c>DOTNET_CONTENTROOT</c>) still decide when given; <c>dotnet run</c> sets it to the project
/// folder through <c>Properties/launchSettings.json</c>, so a development run keeps its data there.
/// </summary>
public static class ContentRoot
{
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = IsGiven(args) ? null : AppContext.BaseDirectory,
    };

    private static bool IsGiven(string[] args) =>
        args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
}
