using System.Globalization;

namespace CorpNotifier.Benchmarks.Hosting;

/// <summary>
/// What the run measures and against which servers: environment variables (bench.sh exports the
/// addresses), each of which may also be given as a <c>NAME=value</c> argument. Every count and
/// duration has a default that keeps the whole run within 15 minutes on a 2-core machine.
/// </summary>
public sealed class BenchSettings
{
    private readonly Dictionary<string, string> _values;

    private BenchSettings(Dictionary<string, string> values)
    {
        _values = values;
    }

    /// <summary>The scenarios to run, in this order, by name.</summary>
    public static IReadOnlyList<string> AllScenarios { get; } = ["raw", "intake", "latency", "scheduled", "dispatch", "claim", "burst"];

    public string Postgres => Required("BENCH_POSTGRES");

    public string RabbitMq => Required("BENCH_RABBITMQ");

    public string RabbitMqManagement => Text("BENCH_RABBITMQ_MANAGEMENT", "http://127.0.0.1:15672");

    public IReadOnlyList<string> Scenarios => List("BENCH_SCENARIOS", string.Join(',', AllScenarios));

    /// <summary>Messages of the raw RabbitMQ.Client + Npgsql baseline.</summary>
    public int RawEvents => Int("BENCH_RAW_EVENTS", 20_000);

    /// <summary>Balance events of the intake run (seeding not counted).</summary>
    public int IntakeEvents => Int("BENCH_INTAKE_EVENTS", 20_000);

    /// <summary>
    /// Measured intakes per instance count, on the same warmed-up services; the median is the figure
    /// (one intake of 20 000 events lasts seconds, and single runs spread by a tenth).
    /// </summary>
    public int IntakeRepeats => Int("BENCH_INTAKE_REPEATS", 3);

    /// <summary>Instance counts of the intake run.</summary>
    public IReadOnlyList<int> IntakeInstances => List("BENCH_INTAKE_INSTANCES", "1,2").Select(int.Parse).ToList();

    /// <summary>Balance events of each warm-up round a service gets before it is measured (Measure.WarmUpAsync); 0 measures it cold.</summary>
    public int WarmUpEvents => Int("BENCH_WARMUP_EVENTS", 8_000);

    /// <summary>Most warm-up rounds (of events, or of the warm-up drain) before a service is measured, quiet or not (Measure.UntilJitQuietAsync).</summary>
    public int WarmUpRounds => Int("BENCH_WARMUP_ROUNDS", 20);

    /// <summary>
    /// Warm-up rounds in a row that must be quiet (<see cref="WarmUpJitQuietPercent"/>) before a
    /// service is measured: one quiet round was often followed by another burst of compilation.
    /// </summary>
    public int WarmUpQuietRounds => Int("BENCH_WARMUP_QUIET_ROUNDS", 2);

    /// <summary>
    /// A warm-up round after which the runtime's JIT counts as quiet: the services' JIT time in the
    /// round, as a share of the round's time (per instance), at most this many per cent.
    /// </summary>
    public double WarmUpJitQuietPercent => Double("BENCH_WARMUP_JIT_QUIET_PERCENT", 2);

    /// <summary>Clients (each with a profile and a contract) the events are spread over.</summary>
    public int Clients => Int("BENCH_CLIENTS", 200);

    /// <summary>Offered rates of the immediate-letter latency run (Sender mailer), events per second.</summary>
    public IReadOnlyList<int> LatencyRates => List("BENCH_LATENCY_RATES", "100,200,500").Select(int.Parse).ToList();

    /// <summary>How long each rate is offered; a rate the service cannot keep up with stops sooner (ImmediateLatency).</summary>
    public int LatencySeconds => Int("BENCH_LATENCY_SECONDS", 30);

    /// <summary>Offered rate of the SMTP latency run (0 skips it).</summary>
    public int SmtpRate => Int("BENCH_SMTP_RATE", 100);

    public int ScheduledLetters => Int("BENCH_SCHEDULED_LETTERS", 10_000);

    /// <summary>The scheduled letters fall due evenly over this many seconds.</summary>
    public int ScheduledWindowSeconds => Int("BENCH_SCHEDULED_WINDOW_SECONDS", 10);

    /// <summary>Letters all due at one moment, for the dispatch throughput.</summary>
    public int DispatchLetters => Int("BENCH_DISPATCH_LETTERS", 10_000);

    /// <summary>Letters due at once and sent before the scheduled and dispatch scenarios measure, to warm the send path's batches up (0: none).</summary>
    public int DrainWarmUpLetters => Int("BENCH_DRAIN_WARMUP_LETTERS", 2_000);

    /// <summary>Row counts of <c>notices</c> the claim is timed at.</summary>
    public IReadOnlyList<int> ClaimRows => List("BENCH_CLAIM_ROWS", "10000,1000000,5000000").Select(int.Parse).ToList();

    /// <summary>Claims timed at each row count (the median is reported).</summary>
    public int ClaimRepeats => Int("BENCH_CLAIM_REPEATS", 50);

    /// <summary>Letters all due at one moment against the limited Sender (scenario 8).</summary>
    public int BurstLetters => Int("BENCH_BURST_LETTERS", 10_000);

    /// <summary>Calls a second the limited Sender takes before it answers 429.</summary>
    public int BurstLimit => Int("BENCH_BURST_LIMIT", 200);

    /// <summary>The service's <c>MailerLimits:PerSecond</c> in the burst: by default 5 % above the Sender's limit, so the Sender throttles it now and then.</summary>
    public int BurstServiceRate => Int("BENCH_BURST_SERVICE_RATE", BurstLimit + (BurstLimit / 20));

    /// <summary>How long the soak (opt-in: <c>BENCH_SCENARIOS=soak</c>) offers its events, in minutes.</summary>
    public int SoakMinutes => Int("BENCH_SOAK_MINUTES", 60);

    /// <summary>The soak's offered rate, balance events per second (one in five makes a letter).</summary>
    public int SoakRate => Int("BENCH_SOAK_RATE", 100);

    /// <summary>How often the soak samples the service's RSS, in seconds.</summary>
    public int SoakSampleSeconds => Int("BENCH_SOAK_SAMPLE_SECONDS", 5);

    /// <summary>The soak's first minutes, left out of the RSS slope (the runtime and the pools settle); at most a third of the soak.</summary>
    public int SoakSettleMinutes => Int("BENCH_SOAK_SETTLE_MINUTES", 5);

    /// <summary>The build configuration of the service under benchmark.</summary>
    public string Configuration => Text("BENCH_CONFIGURATION", "Release");

    /// <summary>Where the figures are written; <c>-</c> writes nothing.</summary>
    public string Document => Text("BENCH_DOC", Path.Combine(RepositoryRoot, "docs", "benchmarks.md"));

    public string RepositoryRoot => HostBuild.RepositoryRoot;

    /// <summary>The service under benchmark: the build of <see cref="Configuration"/>, or another build of it (<c>BENCH_SERVICE_DLL</c>, e.g. a published one).</summary>
    public string ServiceDll => Text("BENCH_SERVICE_DLL", HostBuild.DllOf(Configuration));

    /// <summary>The settings as given (for the report).</summary>
    public IReadOnlyDictionary<string, string> Given => _values;

    public static BenchSettings Read(string[] args)
    {
        var values = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("BENCH_", StringComparison.Ordinal) && !k.StartsWith("BENCH_SVC_", StringComparison.Ordinal))
            .ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k) ?? "", StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !arg.StartsWith("BENCH_", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Arguments are NAME=value with a BENCH_ name, e.g. BENCH_INTAKE_EVENTS=5000; got '{arg}'.");
            }

            if (arg.StartsWith("BENCH_SVC_", StringComparison.Ordinal))
            {
                // A service's setting given as an argument reaches the services as the variable
                // would (BenchService.ExtraSettings); it is not a setting of the benchmarks.
                Environment.SetEnvironmentVariable(arg[..eq], arg[(eq + 1)..]);
                continue;
            }

            values[arg[..eq]] = arg[(eq + 1)..];
        }

        return new BenchSettings(values);
    }

    private string Text(string name, string fallback) => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : fallback;

    private double Double(string name, double fallback) => double.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private int Int(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private List<string> List(string name, string fallback) =>
        Text(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private string Required(string name) => _values.TryGetValue(name, out var value) && value.Length > 0
        ? value
        : throw new InvalidOperationException($"{name} is not set. Run ./bench.sh, which starts PostgreSQL and RabbitMQ and sets BENCH_POSTGRES, BENCH_RABBITMQ and BENCH_RABBITMQ_MANAGEMENT.");
}
