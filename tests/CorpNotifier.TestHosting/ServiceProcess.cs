using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace CorpNotifier.TestHosting;

/// <summary>
/// corp-notifier as ops run it: the built service in its own process (<c>dotnet CorpNotifier.dll</c>,
/// or another <see cref="ServiceCommand"/> such as a published build), configured by environment
/// variables, on its own loopback port, its output kept. It can be stopped, or killed outright.
/// </summary>
/// <remarks>
/// The one readiness rule: a start returns once <c>GET /health/ready</c> answers 200 (or
/// <c>/health/live</c>, for <see cref="Readiness.Live"/>), polled every 200 ms, within
/// <see cref="StartTimeout"/>. A process that exits first fails the start at once; a start that runs
/// out of time fails naming the address it polled, its last answer and the last lines of the
/// process's output, and the process is killed either way.
/// </remarks>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>
    /// How long a start may take: a cold start on a busy two-core CI machine (JIT, the database
    /// migration, the broker's topology, other tests' processes beside it) takes seconds, rarely
    /// tens of seconds; past two minutes something is wrong.
    /// </summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How many of the last output lines a failure shows (<see cref="Log"/>).</summary>
    public const int TailLines = 200;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The health probes; a health check that finds a server gone may take seconds to say so.</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Process _process;
    private readonly int? _keepLines;
    private readonly string? _ownWorkingDirectory;
    private readonly HttpClient? _client;

    private ServiceProcess(Process process, ServiceStart start, ServiceCommand command, int port, string? ownWorkingDirectory)
    {
        _process = process;
        _keepLines = start.KeepLines;
        _ownWorkingDirectory = ownWorkingDirectory;
        Port = port;
        Name = start.Name ?? "The service";
        Command = command;
        Keys = start.Keys;
        _client = Keys is null || !Keys.Roles.Contains("admin") ? null : Keys.ClientAs("admin", BaseUrl);
    }

    public int Port { get; }

    /// <summary>The instance's name (<c>Instance:Name</c>), or "The service" when the start gave none.</summary>
    public string Name { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>What was run.</summary>
    public ServiceCommand Command { get; }

    /// <summary>The process id, e.g. to read its CPU time and memory from <c>/proc</c>.</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The keys the service was started with, if the start configured them.</summary>
    public ApiKeys? Keys { get; }

    /// <summary>Every line the process wrote to stdout and stderr, in order (the latest <see cref="ServiceStart.KeepLines"/> when set).</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Authenticates as an admin (who may do everything).</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException($"{Name} was started without an admin API key.");

    /// <summary>The key of <paramref name="role"/> among the keys every start gets unless it says otherwise (<see cref="ApiKeys.Default"/>).</summary>
    public static string KeyOf(string role) => ApiKeys.Default.KeyOf(role);

    /// <summary>A new client that authenticates with the API key of <paramref name="role"/>.</summary>
    public HttpClient ClientAs(string role) =>
        (Keys ?? throw new InvalidOperationException($"{Name} was started without API keys.")).ClientAs(role, BaseUrl);

    /// <summary>
    /// Starts the service with <see cref="ApiKeys.Default"/>, logging at <c>Information</c>, and waits
    /// until it is ready (or, with <paramref name="waitUntilReady"/> false, only until it answers
    /// <c>/health/live</c>). <paramref name="command"/> is what to run; by default
    /// <c>dotnet CorpNotifier.dll</c> of the build next to the tests.
    /// </summary>
    public static Task<ServiceProcess> StartAsync(IDictionary<string, string> settings, string name = "instance", bool waitUntilReady = true, ServiceCommand? command = null) =>
        StartAsync(new ServiceStart(settings)
        {
            Name = name,
            WaitFor = waitUntilReady ? Readiness.Ready : Readiness.Live,
            Command = command,
        });

    /// <summary>Starts the service as <paramref name="start"/> says and waits until it is ready (the rule above).</summary>
    public static async Task<ServiceProcess> StartAsync(ServiceStart start, CancellationToken cancellationToken = default)
    {
        var port = FreePort.Next();
        var command = start.Command ?? ServiceCommand.Dotnet(HostBuild.Dll);
        var ownWorkingDirectory = start.WorkingDirectory is null ? Directory.CreateTempSubdirectory("corp-notifier-cwd-").FullName : null;
        var info = new ProcessStartInfo(command.FileName, command.Arguments)
        {
            WorkingDirectory = start.WorkingDirectory ?? ownWorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["ASPNETCORE_ENVIRONMENT"] = start.Environment,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:LogLevel:Default"] = start.LogLevel,
            // Required outside Development (the published development key is refused there): a test's own.
            ["Suppressions:HashKey"] = "test-only-suppression-hash-key-of-the-test-processes",
        };
        if (start.Name is not null)
        {
            environment["Instance:Name"] = start.Name;
        }

        foreach (var (key, value) in (start.Keys?.Settings() ?? []).Concat(start.Settings))
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{command} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{start.Name ?? "The service"} could not be started as {command}: {ex.Message}", ex);
        }

        var service = new ServiceProcess(process, start, command, port, ownWorkingDirectory);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilStartedAsync(start.WaitFor, cancellationToken);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>The body of <c>/health/ready</c> (what is missing, when something is).</summary>
    public async Task<string> ReadinessAsync()
    {
        using var response = await Http.GetAsync($"{BaseUrl}/health/ready");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Whether <c>/health/ready</c> answers 200 now; a service that does not answer is not ready.</summary>
    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Http.GetAsync($"{BaseUrl}/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last <see cref="TailLines"/> lines the process wrote, for failure messages.</summary>
    public string Log() => string.Join('\n', Output.TakeLast(TailLines));

    /// <summary>SIGKILL to the process and its children: no graceful stop, in-flight work is cut wherever it is.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(); // and its output read to the end
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _client?.Dispose();
        _process.Dispose();
        if (_ownWorkingDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownWorkingDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held open; the temp folder is cleaned by the system
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Output.Enqueue(line);
        while (Output.Count > _keepLines && Output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilStartedAsync(Readiness readiness, CancellationToken cancellationToken)
    {
        var url = $"{BaseUrl}{(readiness == Readiness.Ready ? "/health/ready" : "/health/live")}";
        var watch = Stopwatch.StartNew();
        var lastAnswer = "none yet";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (!deadline.IsCancellationRequested)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException(
                    $"{Name} ({Command}) exited with code {_process.ExitCode} {watch.Elapsed.TotalSeconds:0.0} s after its start, before GET {url} answered 200; "
                    + $"its last answer: {lastAnswer}.\n{OutputTail()}");
            }

            try
            {
                using var response = await Http.GetAsync(url, deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token)}";
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = $"no connection ({ex.Message})";
                await Task.Delay(PollInterval, CancellationToken.None);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastAnswer = deadline.IsCancellationRequested ? lastAnswer : $"no answer within {Http.Timeout.TotalSeconds:0} s";
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException(
            $"{Name} ({Command}) was not ready within {StartTimeout.TotalSeconds:0} s: GET {url} never answered 200; its last answer: {lastAnswer}.\n{OutputTail()}");
    }

    private string OutputTail() => Output.IsEmpty ? "It wrote nothing." : $"Its last lines:\n{Log()}";
}
