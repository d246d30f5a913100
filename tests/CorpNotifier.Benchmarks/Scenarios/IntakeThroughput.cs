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

            var random = new Random(7);
            var expected = new HashSet<string>();
            var events = new List<WireEvent>(settings.IntakeEvents);
            for (var i = 0; i < settings.IntakeEvents; i++)
            {
                var client = clients[i % clients.Count];
                if (random.NextDouble() < 0.2)
                {
                    var to = 25.5m + (i * 0.0001m);
                    events.Add(WireEvents.Balance(client, 150m, to));
                    expected.Add(SenderStandIn.KeyOf(WireEvents.EmailOf(client), "low-balance", WireEvents.BalanceText(to)));
                }
                else
                {
                    events.Add(WireEvents.Balance(client, 200m, 180m));
                }
            }

            var counters = await PgCounters.ReadAsync(environment.Database);
            var watch = new ResourceWatch(services.Select(s => s.ProcessId).ToList());
            var window = Stopwatch.StartNew();
            await using var activity = new PgActivity(environment.Database, environment.Name);
            var publishing = Stopwatch.StartNew();
            await publisher.PublishAllAsync(events);
            publishing.Stop();
            await Measure.WaitUntilAsync(
                () => environment.ScalarAsync("SELECT count(*) FROM events WHERE type = 'BalanceChanged' AND event_id NOT LIKE '" + Measure.WarmUpPrefix + "-%'"),
                events.Count, "every balance event stored", services, pollMs: 500);
            var cpu = watch.CpuSinceStart();
            var wall = window.Elapsed.TotalSeconds;
            var seconds = await RawBaseline.SpanSecondsAsync(environment,
                "SELECT extract(epoch FROM max(received_at) - min(received_at)) FROM events WHERE type = 'BalanceChanged' AND event_id NOT LIKE '" + Measure.WarmUpPrefix + "-%'");
            var rate = (events.Count - 1) / seconds;

            await Measure.WaitForLettersAsync(environment, () => sender.Count, expected.Count, "every low-balance letter at the Sender", services);
            var database = (await PgCounters.ReadAsync(environment.Database)).PerEvent(counters, events.Count);
            var peakRss = watch.PeakServiceRssMiB;
            var highWater = watch.ServiceHighWaterMiB;
            var postgresRss = watch.PeakPostgresRssMiB;
            await watch.DisposeAsync();

            report.Add(scenario, "events (letters)", $"{events.Count} ({expected.Count})");
            report.Add(scenario, "publish time (all confirmed)", $"{publishing.Elapsed.TotalSeconds:0.0} s ({Measure.Rate(events.Count / publishing.Elapsed.TotalSeconds, "events")})");
            var ratio = rate / rawRate;
            if (oneInstanceRate is { } one)
            {
                // On two cores both instances share the machine one instance already keeps busy: equal
                // throughput within the spread of runs is what can be shown here (docs/benchmarks.md).
                report.Add(scenario, "throughput (first → last event stored)", Measure.Rate(rate, "events"));
                report.Add(scenario, "ratio to raw baseline / to 1 instance", $"{Percent(ratio)} / {Percent(rate / one)}", "≥ 95 % of 1 instance", rate >= 0.95 * one);
            }
            else
            {
                report.Add(scenario, "throughput (first → last event stored)", Measure.Rate(rate, "events"));
                report.Add(scenario, "ratio to raw baseline", $"{Percent(ratio)} ({Measure.Rate(rate, "events")} vs {Measure.Rate(rawRate, "events")})", "≥ 70 %", double.IsNaN(ratio) ? null : ratio >= 0.7);
            }

            Measure.CheckLetters(report, scenario, expected, sender.Receipts);

            var resources = $"{ResourcesName}, {instances} instance{(instances == 1 ? "" : "s")}";
            report.Add(resources, "service peak RSS (VmHWM, highest instance)", $"{highWater:0} MiB", instances == 1 ? "≤ 250 MB" : "", instances == 1 ? highWater * 1.048576 <= 250 : null);
            report.Add(resources, "service peak RSS sampled (sum of instances)", $"{peakRss:0} MiB");
            report.Add(resources, "PostgreSQL peak RSS (sum of processes)", $"{postgresRss:0} MiB");
            report.Add(resources, "CPU per event: service / PostgreSQL / RabbitMQ / benchmark",
                $"{cpu["service"] / events.Count:0.00} / {cpu["postgres"] / events.Count:0.00} / {cpu["rabbitmq"] / events.Count:0.00} / {cpu["benchmark"] / events.Count:0.00} ms");
            report.Add(resources, "machine CPU busy during intake", $"{cpu["machine"] / 1000:0.0} CPU-s of {wall:0.0} s wall × {Environment.ProcessorCount} cores ({cpu["machine"] / 10 / wall / Environment.ProcessorCount:0} %)");
            report.Note($"{scenario}: database work per event, its letters included: {database}");
            report.Note($"{scenario}: database sessions while it ran (average active, by wait event): {activity.Summary()}");
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

    /// <summary>A ratio as a percentage; "n/a" when the raw baseline did not run.</summary>
    private static string Percent(double ratio) => double.IsNaN(ratio) ? "n/a" : ratio.ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
}
