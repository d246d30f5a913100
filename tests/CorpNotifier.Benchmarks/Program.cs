using System.Diagnostics;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Report;
using CorpNotifier.Benchmarks.Scenarios;

// The benchmarks of corp-notifier (./bench.sh): runs the scenarios in order, prints the figures and
// rewrites the figures part of docs/benchmarks.md. Exits 1 when a letter was lost or duplicated or a
// scenario could not finish, 2 when it cannot start.
var settings = BenchSettings.Read(args);
var total = Stopwatch.StartNew();
if (!File.Exists(settings.ServiceDll))
{
    Console.Error.WriteLine($"The service build is missing at {settings.ServiceDll}; build the solution ({settings.Configuration}) first.");
    return 2;
}

var report = new BenchReport();
var durations = new List<string>();
var raw = double.NaN;
double? oneInstance = null;

async Task RunAsync(string name, Func<Task> scenario)
{
    Console.WriteLine($"== {name}");
    var watch = Stopwatch.StartNew();
    try
    {
        await scenario();
    }
    catch (Exception ex)
    {
        report.Fail($"{name} did not finish: {ex.GetType().Name}: {ex.Message}");
    }

    durations.Add($"{name} {watch.Elapsed.TotalSeconds:0} s");
    Console.WriteLine($"   ({watch.Elapsed.TotalSeconds:0} s)");
}

var versions = await BenchEnvironment.ServerVersionsAsync(settings);
foreach (var scenario in settings.Scenarios)
{
    switch (scenario)
    {
        case "raw":
            await RunAsync(RawBaseline.Name, async () => raw = await RawBaseline.RunAsync(settings, report));
            break;
        case "intake":
            foreach (var instances in settings.IntakeInstances)
            {
                await RunAsync($"{IntakeThroughput.Name}, {instances} instance(s)", async () =>
                {
                    var rate = await IntakeThroughput.RunAsync(settings, report, instances, raw, instances == 1 ? null : oneInstance);
                    oneInstance ??= instances == 1 ? rate : null;
                });
            }

            break;
        case "latency":
            await RunAsync($"{ImmediateLatency.Name}, Sender", () => ImmediateLatency.RunSenderAsync(settings, report, raw));
            if (settings.SmtpRate > 0)
            {
                await RunAsync($"{ImmediateLatency.Name}, SMTP", () => ImmediateLatency.RunSmtpAsync(settings, report));
            }

            break;
        case "scheduled":
            await RunAsync(ScheduledLetters.LatenessName, () => ScheduledLetters.RunLatenessAsync(settings, report));
            break;
        case "dispatch":
            await RunAsync(ScheduledLetters.DispatchName, () => ScheduledLetters.RunDispatchAsync(settings, report, raw));
            break;
        case "claim":
            await RunAsync(ClaimCost.Name, () => ClaimCost.RunAsync(settings, report));
            break;
        case "burst":
            await RunAsync(Burst.Name, () => Burst.RunAsync(settings, report));
            break;
        case "retention":
            await RunAsync(RetentionRun.Name, () => RetentionRun.RunAsync(settings, report));
            break;
        case "soak":
            await RunAsync(Soak.Name, () => Soak.RunAsync(settings, report));
            break;
        default:
            Console.Error.WriteLine($"Unknown scenario '{scenario}'; known: {string.Join(", ", BenchSettings.AllScenarios)}, and the opt-in retention and soak.");
            return 2;
    }
}

var extra = BenchService.ExtraSettings();
var setup = new List<string>
{
    $"The service: `dotnet {Path.GetRelativePath(settings.RepositoryRoot, settings.ServiceDll)}` as its own process, `ASPNETCORE_ENVIRONMENT=Production`, `Transport=RabbitMq`, `Database=Postgres`, `Mailer=Sender` pointed at a loopback stand-in that answers 200 at once (the SMTP run: `Mailer=Smtp` to a loopback SMTP server); every other setting is the service's default.",
    $"Log level of the service under benchmark: `{BenchService.LogLevel}` (console logging at `Information` would weigh on the figures).",
    $"Fixed service settings: {string.Join(", ", BenchService.Fixed.Select(e => $"`{e.Key}={e.Value}`"))} (the scenarios make many low-balance letters per contract).",
    extra.Count == 0 ? "No extra service settings (`BENCH_SVC_*`)." : $"Extra service settings: {string.Join(", ", extra.Select(e => $"`{e.Key}={e.Value}`"))}.",
    $"Servers: {versions}, started by deploy/local/ as test.sh does; each scenario gets its own database and virtual host.",
    $"Events are raw JSON published to the `corp-notifier-events` exchange with publisher confirms (README, \"Any language: raw JSON on RabbitMQ\"); clients (profile + contract, {settings.Clients} of them) are seeded first and not counted.",
    settings.WarmUpEvents == 0
        ? "Each service is measured cold, from its start (`BENCH_WARMUP_EVENTS=0`): the runtime's compilation of the hot path weighs on every figure."
        : $"Each service is warmed up before it is measured, as a long-running instance is: rounds of {settings.WarmUpEvents} balance events (one in five makes a letter, sent) after the seeding, not counted in any figure, until the JIT is quiet — its time in a round (`dotnet_jit_compilation_time_seconds_total` on the service's `/metrics`) at most {settings.WarmUpJitQuietPercent.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} % of the round's in {settings.WarmUpQuietRounds} rounds in a row, or {settings.WarmUpRounds} rounds (`BENCH_WARMUP_EVENTS`, `BENCH_WARMUP_JIT_QUIET_PERCENT`, `BENCH_WARMUP_QUIET_ROUNDS`, `BENCH_WARMUP_ROUNDS`; the runtime compiles the hot path again, tier by tier, over its first minute of work; the rounds each scenario took are in the notes). The scheduled and dispatch scenarios then drain {settings.DrainWarmUpLetters} letters due at once the same way, until the JIT is quiet (`BENCH_DRAIN_WARMUP_LETTERS`).",
    $"Counts: raw baseline {settings.RawEvents} messages; intake {settings.IntakeEvents} balance events with {string.Join(" and ", settings.IntakeInstances)} instance(s), measured {settings.IntakeRepeats} times on the same services (the median reported); latency at {string.Join(", ", settings.LatencyRates)}/s and at a quarter and a tenth of the raw baseline for {settings.LatencySeconds} s each (a rate stops early once 5 s of its events wait for their letters), SMTP at {settings.SmtpRate}/s; {settings.ScheduledLetters} letters due over {settings.ScheduledWindowSeconds} s; {settings.DispatchLetters} letters due at once; claim at {string.Join(", ", settings.ClaimRows.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} rows; burst of {settings.BurstLetters} letters against a Sender limited to {settings.BurstLimit}/s, the service at `MailerLimits:PerSecond={settings.BurstServiceRate}`. Each is a `BENCH_*` variable (tests/CorpNotifier.Benchmarks/Hosting/BenchSettings.cs).",
    $"Scenario durations: {string.Join(", ", durations)}.",
};

Console.WriteLine();
Console.WriteLine(report.Table());
Console.WriteLine();
foreach (var failure in report.Failures)
{
    Console.WriteLine($"FAILURE: {failure}");
}

if (settings.Document != "-")
{
    BenchmarksDocument.Write(settings.Document, report, MachineInfo.Read(settings.RepositoryRoot), setup, total.Elapsed);
    Console.WriteLine($"Figures written to {settings.Document}");
}

Console.WriteLine($"Benchmark run took {total.Elapsed.TotalMinutes:0.0} min.");
return report.Failures.Count == 0 ? 0 : 1;
