using System.Collections.Concurrent;
using System.Diagnostics;

namespace CorpNotifier.SystemTests;

/// <summary>
/// corp-notifier as ops run it: the built service in its own process (<c>dotnet CorpNotifier.dll</c>,
/// or another <see cref="ServiceCommand"/> such as a published build), configured by environment
/// variables, on its own port. It can be stopped, or killed outright.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;

    private ServiceProcess(Process process, int port, string name)
    {
        _process = process;
        Port = port;
        Name = name;
    }

    public int Port { get; }

    public string Name { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Authenticates as an admin (who may do everything).</summary>
    public HttpClient Client { get; } = new();

    public static string KeyOf(string role) => $"system-key-of-{role}";

    /// <summary>A client that authenticates with the API key of <paramref name="role"/>.</summary>
    public HttpClient ClientAs(string role)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add(Auth.ApiKeyAuthenticationHandler.Header, KeyOf(role));
        return client;
    }

    /// <summary>
    /// Starts the service and waits until it is ready (or, with <paramref name="waitUntilReady"/> false, only until it answers <c>/health/live</c>).
    /// <paramref name="command"/> is what to run; by default <c>dotnet CorpNotifier.dll</c> of the build next to the tests.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(IDictionary<string, string> settings, string name = "instance", bool waitUntilReady = true, ServiceCommand? command = null)
    {
        var port = FreePort.Next();
        command ??= ServiceCommand.Dotnet(HostBuild.Dll);
        var info = new ProcessStartInfo(command.FileName, command.Arguments)
        {
            // Started from an unrelated folder, as systemd or a scheduler would: the service must
            // find its configuration and templates next to itself, not in the working directory.
            WorkingDirectory = Directory.CreateTempSubdirectory("corp-notifier-cwd-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["Instance__Name"] = name;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (role, index) in Auth.Roles.All.Select((r, i) => (r, i)))
        {
            info.Environment[$"Auth__ApiKeys__{index}__Name"] = $"system-{role}";
            info.Environment[$"Auth__ApiKeys__{index}__Role"] = role;
            info.Environment[$"Auth__ApiKeys__{index}__Sha256"] = Auth.AuthOptions.Hash(KeyOf(role));
        }

        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info)!;
        var service = new ServiceProcess(process, port, name);
        service.Client.BaseAddress = new Uri(service.BaseUrl);
        service.Client.DefaultRequestHeaders.Add(Auth.ApiKeyAuthenticationHandler.Header, KeyOf(Auth.Roles.Admin));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilAsync(waitUntilReady ? "/health/ready" : "/health/live");
        return service;
    }

    /// <summary>The body of <c>/health/ready</c> (what is missing, when something is).</summary>
    public async Task<string> ReadinessAsync()
    {
        using var response = await Http.GetAsync($"{BaseUrl}/health/ready");
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Http.GetAsync($"{BaseUrl}/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task WaitUntilAsync(string healthPath)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} at start:\n{Log()}");
            }

            try
            {
                using var response = await Http.GetAsync($"{BaseUrl}{healthPath}");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} did not answer {healthPath}:\n{Log()}");
    }

    public string Log() => string.Join('\n', Output.TakeLast(200));

    /// <summary>SIGKILL: no graceful stop, in-flight work is cut wherever it is.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
        await Task.CompletedTask;
    }
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

/// <summary>The service's build output next to this test build (same configuration).</summary>
public static class HostBuild
{
    public static string Dll { get; } = Find();

    private static string Find()
    {
        // tests/CorpNotifier.SystemTests/bin/{Configuration}/net10.0/ → src/CorpNotifier/bin/{Configuration}/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var framework = testBin.Name;
        var root = testBin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "CorpNotifier", "bin", configuration, framework, "CorpNotifier.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The service build is missing at {dll}; build the solution first.");
    }
}
