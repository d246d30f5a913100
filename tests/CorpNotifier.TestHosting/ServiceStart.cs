namespace CorpNotifier.TestHosting;

/// <summary>How to start the service: what to run, with which settings, and what to wait for.</summary>
public sealed record ServiceStart
{
    /// <param name="settings">The service's settings (keys with <c>:</c> or <c>__</c>); a later key wins over an earlier one.</param>
    public ServiceStart(IEnumerable<KeyValuePair<string, string>> settings)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            all[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        Settings = all;
    }

    /// <summary>The settings, each key with <c>:</c>; given to the process as environment variables (<c>__</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>What to run; by default <c>dotnet CorpNotifier.dll</c> of the build next to the program that asks (<see cref="HostBuild.Dll"/>).</summary>
    public ServiceCommand? Command { get; init; }

    /// <summary>The instance's name (<c>Instance:Name</c>), also the name failures call it by; unset, the service's default.</summary>
    public string? Name { get; init; }

    /// <summary>What the start waits for.</summary>
    public Readiness WaitFor { get; init; } = Readiness.Ready;

    /// <summary>The API keys the service knows (one per role); null configures none (then give them in <see cref="Settings"/>).</summary>
    public ApiKeys? Keys { get; init; } = ApiKeys.Default;

    /// <summary><c>ASPNETCORE_ENVIRONMENT</c>: Production, as ops run it.</summary>
    public string Environment { get; init; } = "Production";

    /// <summary><c>Logging:LogLevel:Default</c>.</summary>
    public string LogLevel { get; init; } = "Information";

    /// <summary>
    /// The working directory; by default a new empty folder, removed when the service is disposed:
    /// started from an unrelated folder, as systemd or a scheduler would start it, the service must
    /// find its configuration and templates next to itself.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How many of the latest output lines to keep; null keeps them all.</summary>
    public int? KeepLines { get; init; }
}

/// <summary>What "the service has started" means; the one rule is in <see cref="ServiceProcess"/>.</summary>
public enum Readiness
{
    /// <summary><c>GET /health/ready</c> answers 200: the service reaches its database and its broker and takes work.</summary>
    Ready,

    /// <summary>
    /// <c>GET /health/live</c> answers 200: the process serves HTTP. Only for a test that starts the
    /// service while a server it needs is down on purpose.
    /// </summary>
    Live,
}

/// <summary>A program that starts the service, and its arguments.</summary>
public sealed record ServiceCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>A framework-dependent build, run by the shared runtime: <c>dotnet CorpNotifier.dll</c>.</summary>
    public static ServiceCommand Dotnet(string dll) => new("dotnet", [dll]);

    /// <summary>An executable run directly, such as a self-contained build's <c>CorpNotifier</c>.</summary>
    public static ServiceCommand Executable(string path) => new(path, []);

    public override string ToString() => string.Join(' ', [FileName, .. Arguments]);
}
