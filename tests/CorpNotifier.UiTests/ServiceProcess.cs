using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CorpNotifier.UiTests;

/// <summary>
/// The built service in its own process (<c>dotnet CorpNotifier.dll</c>), configured by environment
/// variables, on a free loopback port; as in the system tests, but without their servers.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Starts the service with <paramref name="settings"/> (<c>:</c> or <c>__</c> separated) and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(IDictionary<string, string> settings, string workingDirectory)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [HostBuild.Dll])
        {
            // Started from an unrelated folder, as systemd would: the service finds its files next to itself.
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info)!;
        var service = new ServiceProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync();
        return service;
    }

    private async Task WaitUntilReadyAsync()
    {
        await Eventually.MatchAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The service exited with {_process.ExitCode} at start:\n{Log()}");
                }

                try
                {
                    using var response = await Http.GetAsync($"{BaseUrl}/health/ready");
                    return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (HttpRequestException ex)
                {
                    return $"not listening yet ({ex.Message})";
                }
            },
            answer => answer.StartsWith("200", StringComparison.Ordinal),
            $"{BaseUrl}/health/ready to answer 200",
            TimeSpan.FromSeconds(90),
            Log);
    }

    /// <summary>The last lines the service wrote, for failure messages.</summary>
    public string Log() => string.Join('\n', Output.TakeLast(200));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>The service's build output next to this test build (same configuration).</summary>
public static class HostBuild
{
    public static string Dll { get; } = Find();

    private static string Find()
    {
        // tests/CorpNotifier.UiTests/bin/{Configuration}/net10.0/ → src/CorpNotifier/bin/{Configuration}/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var framework = testBin.Name;
        var root = testBin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "CorpNotifier", "bin", configuration, framework, "CorpNotifier.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The service build is missing at {dll}; build the solution first.");
    }
}

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
