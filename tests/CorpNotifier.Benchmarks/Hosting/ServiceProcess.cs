using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CorpNotifier.Benchmarks.Hosting;

/// <summary>
/// corp-notifier as ops run it: the Release build in its own process (<c>dotnet CorpNotifier.dll</c>),
/// configured by environment variables, on its own loopback port, logging at <c>Warning</c> so the
/// console does not dominate what is measured. Its API keys are known to the benchmark.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>The log level of every service under benchmark (stated in docs/benchmarks.md).</summary>
    public const string LogLevel = "Warning";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly string[] Roles = ["producer", "viewer", "operator", "admin"];
    private readonly Process _process;

    private ServiceProcess(Process process, int port, string name)
    {
        _process = process;
        Port = port;
        Name = name;
        Operator = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Operator.DefaultRequestHeaders.Add("X-Api-Key", KeyOf("operator"));
    }

    public int Port { get; }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Authenticates with the operator's key (manual sends).</summary>
    public HttpClient Operator { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public static string KeyOf(string role) => $"bench-key-of-{role}";

    /// <summary>
    /// Starts the service with <paramref name="settings"/> (keys with <c>:</c> or <c>__</c>) on top of
    /// the benchmark's own, plus every <c>BENCH_SVC_*</c> environment variable of the benchmark
    /// (prefix removed), and waits until <c>/health/ready</c> answers 200.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string dll, IDictionary<string, string> settings, string name)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            // Started from an unrelated folder, as a scheduler would: the service finds its own files.
            WorkingDirectory = Directory.CreateTempSubdirectory("corp-notifier-bench-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["Instance__Name"] = name;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__LogLevel__Default"] = LogLevel;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        for (var i = 0; i < Roles.Length; i++)
        {
            info.Environment[$"Auth__ApiKeys__{i}__Name"] = $"bench-{Roles[i]}";
            info.Environment[$"Auth__ApiKeys__{i}__Role"] = Roles[i];
            info.Environment[$"Auth__ApiKeys__{i}__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KeyOf(Roles[i]))));
        }

        foreach (var (key, value) in settings.Concat(ExtraSettings()))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var service = new ServiceProcess(process, port, name);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync();
        return service;
    }

    /// <summary>Settings given to every service under benchmark through <c>BENCH_SVC_{Key}</c> variables, e.g. <c>BENCH_SVC_Dispatch__Interval=00:00:01</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ExtraSettings() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("BENCH_SVC_", StringComparison.Ordinal))
            .OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => KeyValuePair.Create(k["BENCH_SVC_".Length..], Environment.GetEnvironmentVariable(k) ?? ""))
            .ToList();

    /// <summary>The last lines the service printed, for a failure message.</summary>
    public string Log() => string.Join('\n', Output.TakeLast(60));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Operator.Dispose();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Output.Enqueue(line);
        while (Output.Count > 500 && Output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} at start:\n{Log()}");
            }

            try
            {
                using var response = await Http.GetAsync($"{BaseUrl}/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not ready within 120 s:\n{Log()}");
    }
}
