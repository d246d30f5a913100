namespace CorpNotifier.Benchmarks.Hosting;

/// <summary>
/// How the benchmarks start the service: the shared <see cref="ServiceProcess"/>, running the build of
/// the configuration under benchmark, logging at <see cref="LogLevel"/> so the console does not
/// dominate what is measured, with the benchmark's own API keys and every <c>BENCH_SVC_*</c> setting.
/// </summary>
public static class BenchService
{
    /// <summary>The log level of every service under benchmark (stated in docs/benchmarks.md).</summary>
    public const string LogLevel = "Warning";

    /// <summary>Output lines kept per service: enough for a failure message over a long run.</summary>
    private const int KeepLines = 500;

    /// <summary>The keys of the services under benchmark: <c>bench-{role}</c>, <c>bench-key-of-{role}</c>.</summary>
    public static ApiKeys Keys { get; } = ApiKeys.For("bench");

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/></c> named <paramref name="name"/> with <paramref name="settings"/>
    /// (keys with <c>:</c> or <c>__</c>), then every <see cref="ExtraSettings"/>, and waits until it is ready.
    /// </summary>
    public static Task<ServiceProcess> StartAsync(string dll, IDictionary<string, string> settings, string name) =>
        ServiceProcess.StartAsync(new ServiceStart(settings.Concat(Fixed).Concat(ExtraSettings()))
        {
            Command = ServiceCommand.Dotnet(dll),
            Name = name,
            Keys = Keys,
            LogLevel = LogLevel,
            KeepLines = KeepLines,
        });

    /// <summary>
    /// Settings every service under benchmark gets (stated in docs/benchmarks.md): the benchmarks make
    /// many low-balance letters per contract to measure throughput, so that kind's default frequency cap
    /// (one per contract a day) is lifted; and the C library's arenas are capped at two, as the
    /// deployment files do (docs/operations.md, "Memory").
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Fixed { get; } =
        [KeyValuePair.Create("Notices__LowBalanceNotice__Cap__Enabled", "false"), KeyValuePair.Create("MALLOC_ARENA_MAX", "2")];

    /// <summary>Settings given to every service under benchmark through <c>BENCH_SVC_{Key}</c> variables, e.g. <c>BENCH_SVC_Dispatch__Interval=00:00:01</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ExtraSettings() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("BENCH_SVC_", StringComparison.Ordinal))
            .OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => KeyValuePair.Create(k["BENCH_SVC_".Length..], Environment.GetEnvironmentVariable(k) ?? ""))
            .ToList();
}
