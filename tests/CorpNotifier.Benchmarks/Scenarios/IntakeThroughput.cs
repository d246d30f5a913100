using System.Diagnostics;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Load;
using CorpNotifier.Benchmarks.Report;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2 (and 7, resources): balance events as production sends them — about one in five
/// crosses the low-balance threshold and makes a letter, the rest make none — published as fast as
/// the broker confirms them to 1 or N instances on one database and virtual host, after the
/// clients' profiles and contracts were seeded (not counted). Events/s from the first to the last
/// event stored (<c>events.received_at</c>), the ratio to the raw baseline, and the CPU and memory
/// of the service, PostgreSQL and RabbitMQ while it ran.
/// </summary>
public static class IntakeThroughput
{
    public const string Name = "2 intake";
    public const string ResourcesName = "7 resources (intake)";

    /// <summary>Runs the intake with <paramref name="instances"/> instances and returns its events/s.</summary>
    public static async Task<double> RunAsync(BenchSettings settings, BenchReport report, int instances, double rawRate, double? oneInstanceRate)
    {
        var scenario = $"{Name}, {instances} instance{(instances == 1 ? "" : "s")}";
        await using var environment = await BenchEnvironment.CreateAsync(settings, $"intake{instances}");
        await using var sender = new SenderStandIn(recordCalls: false);
        var serviceSettings = environment.ServiceSettings().Concat(sender.ServiceSettings()).ToDictionary();
        var services = await Task.WhenAll(Enumerable.Range(1, instances)
            .Select(i => BenchService.StartAsync(settings.ServiceDll, serviceSettings, $"intake-{i}")));
        try
        {
            await using var publisher = await EventPublisher.ConnectAsync(environment);
            var clients = Enumerable.Range(0, settings.Clients).Select(WireEvents.ClientOf).ToList();
            await Measure.SeedClientsAsync(environment, publisher, clients, services);
            await Measure.WarmUpAsync(settings, report, scenario, environment, publisher, clients, services, () => sender.Count, sender.Receipts.Clear);

            // The intake is measured several times on the same warmed-up services, and the median
            // run is the figure: one run lasts seconds, and single runs spread by a tenth.
            var random = new Random(7);
            var expected = new HashSet<string>();
            var runs = new List<IntakeRun>();
            for (var repeat = 1; repeat <= settings.IntakeRepeats; repeat++)
            {
                runs.Add(await MeasureOnceAsync(settings, environment, publisher, clients, services, sender, random, expected, repeat));
            }

            var median = runs.OrderBy(r => r.Rate).ElementAt(runs.Count / 2);
            var rate = median.Rate;
            var allRates = string.Join(", ", runs.Select(r => Measure.Rate(r.Rate, "events")));
            report.Note($"{scenario}: {runs.Count} measured intake{(runs.Count == 1 ? "" : "s")} of {settings.IntakeEvents} events on the same services (median reported, its CPU and database figures with it): {allRates}; "
                + $"the JIT's share of each one's time: {string.Join(", ", runs.Select(r => Measure.Number(r.JitPercent, "0.0") + " %"))}; service CPU per event: {string.Join(", ", runs.Select(r => Measure.Number(r.Cpu["service"] / settings.IntakeEvents, "0.00") + " ms"))}");

            report.Add(scenario, "events (letters)", $"{settings.IntakeEvents} × {runs.Count} ({expected.Count})");
            report.Add(scenario, "publish time (all confirmed)", $"{median.Publishing.TotalSeconds:0.0} s ({Measure.Rate(settings.IntakeEvents / median.Publishing.TotalSeconds, "events")})");
            var ratio = rate / rawRate;
            if (oneInstanceRate is { } one)
            {
                // On two cores both instances share the machine one instance already keeps busy: equal
                // throughput within the spread of runs is what can be shown here (docs/benchmarks.md).
                report.Add(scenario, "throughput (first → last event stored; median)", Measure.Rate(rate, "events"));
                report.Add(scenario, "ratio to raw baseline / to 1 instance", $"{Percent(ratio)} / {Percent(rate / one)}", "≥ 95 % of 1 instance", rate >= 0.95 * one);
            }
            else
            {
                report.Add(scenario, "throughput (first → last event stored; median)", Measure.Rate(rate, "events"));
                report.Add(scenario, "ratio to raw baseline", $"{Percent(ratio)} ({Measure.Rate(rate, "events")} vs {Measure.Rate(rawRate, "events")})", "≥ 70 %", double.IsNaN(ratio) ? null : ratio >= 0.7);
            }

            Measure.CheckLetters(report, scenario, expected, sender.Receipts);

            var cpu = median.Cpu;
            var count = settings.IntakeEvents;
            var highWater = runs.Max(r => r.HighWaterMiB);
            var resources = $"{ResourcesName}, {instances} instance{(instances == 1 ? "" : "s")}";
            report.Add(resources, "service peak RSS (VmHWM, highest instance)", $"{highWater:0} MiB", instances == 1 ? "≤ 250 MB" : "", instances == 1 ? highWater * 1.048576 <= 250 : null);
            report.Add(resources, "service peak RSS sampled (sum of instances)", $"{runs.Max(r => r.PeakRssMiB):0} MiB");
            report.Add(resources, "PostgreSQL peak RSS (sum of processes)", $"{runs.Max(r => r.PostgresRssMiB):0} MiB");
            report.Add(resources, "CPU per event: service / PostgreSQL / RabbitMQ / benchmark",
                $"{cpu["service"] / count:0.00} / {cpu["postgres"] / count:0.00} / {cpu["rabbitmq"] / count:0.00} / {cpu["benchmark"] / count:0.00} ms");
            report.Add(resources, "machine CPU busy during intake", $"{cpu["machine"] / 1000:0.0} CPU-s of {median.Wall:0.0} s wall × {Environment.ProcessorCount} cores ({cpu["machine"] / 10 / median.Wall / Environment.ProcessorCount:0} %)");
            report.Note($"{scenario}: database work per event, its letters included: {median.Database}");
            report.Note($"{scenario}: database sessions while it ran (average active, by wait event): {median.Activity}");
            return rate;
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One measured intake: <c>BENCH_INTAKE_EVENTS</c> balance events (ids prefixed by the run, so
    /// each run counts its own), published as fast as the broker confirms, until every one is stored.
    /// </summary>
    private static async Task<IntakeRun> MeasureOnceAsync(BenchSettings settings, BenchEnvironment environment, EventPublisher publisher, IReadOnlyList<string> clients, IReadOnlyList<ServiceProcess> services, SenderStandIn sender, Random random, HashSet<string> expected, int repeat)
    {
        var prefix = $"intake{repeat}";
        var events = new List<WireEvent>(settings.IntakeEvents);
        for (var i = 0; i < settings.IntakeEvents; i++)
        {
            var client = clients[i % clients.Count];
            if (random.NextDouble() < 0.2)
            {
                var to = 25.5m + (((repeat - 1) * settings.IntakeEvents) + i) * 0.0001m;
                events.Add(WireEvents.Balance(client, 150m, to, prefix));
                expected.Add(SenderStandIn.KeyOf(WireEvents.EmailOf(client), "low-balance", WireEvents.BalanceText(to)));
            }
            else
            {
                events.Add(WireEvents.Balance(client, 200m, 180m, prefix));
            }
        }

        var counters = await PgCounters.ReadAsync(environment.Database);
        var jitBefore = await Measure.JitSecondsAsync(services);
        var watch = new ResourceWatch(services.Select(s => s.ProcessId).ToList());
        var window = Stopwatch.StartNew();
        await using var activity = new PgActivity(environment.Database, environment.Name);
        var publishing = Stopwatch.StartNew();
        await publisher.PublishAllAsync(events);
        publishing.Stop();
        var stored = Measure.EventsWithPrefix(prefix);
        await Measure.WaitUntilAsync(() => environment.ScalarAsync($"SELECT count(*) {stored}"), events.Count, "every balance event stored", services, pollMs: 500);
        var cpu = watch.CpuSinceStart();
        var wall = window.Elapsed.TotalSeconds;
        var jit = 100 * (await Measure.JitSecondsAsync(services) - jitBefore) / (wall * services.Count);
        var seconds = await RawBaseline.SpanSecondsAsync(environment, $"SELECT extract(epoch FROM max(received_at) - min(received_at)) {stored}");
        await Measure.WaitForLettersAsync(environment, () => sender.Count, expected.Count, "every low-balance letter at the Sender", services);
        var database = (await PgCounters.ReadAsync(environment.Database)).PerEvent(counters, events.Count);
        var run = new IntakeRun((events.Count - 1) / seconds, publishing.Elapsed, cpu, wall, jit, database, activity.Summary(),
            watch.PeakServiceRssMiB, watch.ServiceHighWaterMiB, watch.PeakPostgresRssMiB);
        await watch.DisposeAsync();
        return run;
    }

    private sealed record IntakeRun(
        double Rate, TimeSpan Publishing, IReadOnlyDictionary<string, double> Cpu, double Wall, double JitPercent,
        string Database, string Activity, double PeakRssMiB, double HighWaterMiB, double PostgresRssMiB);

    /// <summary>A ratio as a percentage; "n/a" when the raw baseline did not run.</summary>
    private static string Percent(double ratio) => double.IsNaN(ratio) ? "n/a" : ratio.ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
}
