using System.Diagnostics;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Load;
using CorpNotifier.Benchmarks.Report;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// The soak (opt-in: <c>BENCH_SCENARIOS=soak</c>): balance events at a steady rate
/// (<c>BENCH_SOAK_RATE</c>, 100/s; one in five makes a letter, as in the intake) to one instance for
/// <c>BENCH_SOAK_MINUTES</c> (60), after the clients' seeding and the service's warm-up. The
/// service's resident memory (VmRSS) is sampled every <c>BENCH_SOAK_SAMPLE_SECONDS</c> (5); the
/// figures are the RSS once the first <c>BENCH_SOAK_SETTLE_MINUTES</c> (5) are over, at the end,
/// the peak, and the least-squares slope of the samples after the settling minutes: a service that
/// keeps something it should let go shows a slope that does not come down with a longer run.
/// Every letter is checked at the stand-in, as in every scenario.
/// </summary>
public static class Soak
{
    public const string Name = "9 soak";

    /// <summary>Balances of the letters run from 25.5 upwards in steps of 0.0001 (unique per client, under the low threshold of 100).</summary>
    private const int MaxLetters = 740_000;

    public static async Task RunAsync(BenchSettings settings, BenchReport report)
    {
        var rate = settings.SoakRate;
        var duration = TimeSpan.FromMinutes(settings.SoakMinutes);
        // A short run (a check that the scenario works) settles for a third of its time at most.
        var settle = TimeSpan.FromMinutes(Math.Min(settings.SoakSettleMinutes, settings.SoakMinutes / 3.0));
        var total = (long)(rate * duration.TotalSeconds);
        if (total / 5 > MaxLetters)
        {
            throw new ArgumentException($"BENCH_SOAK_RATE × BENCH_SOAK_MINUTES makes more than {MaxLetters} letters; shorten the soak or lower its rate.");
        }

        await using var environment = await BenchEnvironment.CreateAsync(settings, "soak");
        await using var sender = new SenderStandIn(recordCalls: false);
        await using var service = await BenchService.StartAsync(settings.ServiceDll, environment.ServiceSettings().Concat(sender.ServiceSettings()).ToDictionary(), "soak");
        await using var publisher = await EventPublisher.ConnectAsync(environment, channels: 1);
        var clients = Enumerable.Range(0, settings.Clients).Select(WireEvents.ClientOf).ToList();
        await Measure.SeedClientsAsync(environment, publisher, clients, [service]);
        await Measure.WarmUpAsync(settings, report, Name, environment, publisher, clients, [service], () => sender.Count, sender.Receipts.Clear);

        var samples = new List<(double Seconds, double RssMiB)>();
        var heap = new List<(double Seconds, double RssMiB)>();
        var expected = new HashSet<string>();
        var cpuBefore = ProcStats.CpuMs(service.ProcessId);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampling = SampleAsync(service, TimeSpan.FromSeconds(settings.SoakSampleSeconds), clock, samples, heap, stop.Token);

        var confirms = new List<Task>();
        var sent = 0L;
        var letters = 0;
        var maxBacklog = 0;
        var lag = 0.0;
        var nextReport = TimeSpan.FromMinutes(1);
        while (sent < total)
        {
            var now = clock.Elapsed.TotalSeconds;
            while (sent < total && sent / (double)rate <= now)
            {
                lag = Math.Max(lag, (now - (sent / (double)rate)) * 1000);
                var client = clients[(int)(sent % clients.Count)];
                if (sent % 5 == 0)
                {
                    var to = 25.5m + (letters++ * 0.0001m);
                    confirms.Add(publisher.PublishAsync(WireEvents.Balance(client, 150m, to)));
                    expected.Add(SenderStandIn.KeyOf(WireEvents.EmailOf(client), "low-balance", WireEvents.BalanceText(to)));
                }
                else
                {
                    confirms.Add(publisher.PublishAsync(WireEvents.Balance(client, 200m, 180m)));
                }

                sent++;
            }

            if (confirms.Count >= rate)
            {
                await Task.WhenAll(confirms);
                confirms.Clear();
            }

            maxBacklog = Math.Max(maxBacklog, letters - sender.Count);
            if (service.HasExited)
            {
                throw new InvalidOperationException($"{service.Name} exited during the soak:\n{service.Log()}");
            }

            if (clock.Elapsed >= nextReport)
            {
                Console.WriteLine($"   {clock.Elapsed.TotalMinutes:0} min: {sent} events, {sender.Count} of {letters} letters, RSS {ProcStats.MemoryMiB(service.ProcessId, "VmRSS"):0} MiB");
                nextReport += TimeSpan.FromMinutes(1);
            }

            await Task.Delay(5);
        }

        await Task.WhenAll(confirms);
        var offered = clock.Elapsed;
        await Measure.WaitForLettersAsync(environment, () => sender.Count, expected.Count, "the soak's letters", [service]);
        await stop.CancelAsync();
        await sampling;
        var cpu = ProcStats.CpuMs(service.ProcessId) - cpuBefore;
        var highWater = ProcStats.MemoryMiB(service.ProcessId, "VmHWM");

        var scenario = $"{Name}, {rate}/s for {settings.SoakMinutes} min";
        report.Add(scenario, "events (letters) offered", $"{sent} ({letters}) over {offered.TotalMinutes:0.0} min; the publisher fell up to {lag:0} ms behind, letters waited at most {maxBacklog} at once");
        Measure.CheckLetters(report, scenario, expected, sender.Receipts);
        report.Add(scenario, "service CPU per event", $"{cpu / sent:0.00} ms");

        var settled = samples.Where(s => s.Seconds >= settle.TotalSeconds).ToList();
        var atSettle = settled.FirstOrDefault();
        var last = samples.LastOrDefault();
        report.Add(scenario, $"service RSS after {settle.TotalMinutes:0.#} min / at the end / highest sample", $"{atSettle.RssMiB:0} / {last.RssMiB:0} / {samples.Select(s => s.RssMiB).DefaultIfEmpty().Max():0} MiB");
        report.Add(scenario, "service peak RSS (VmHWM, since its start, warm-up included)", $"{highWater:0} MiB", "≤ 250 MB", highWater * 1.048576 <= 250);
        var slope = SlopePerHour(settled);
        var settledHeap = heap.Where(s => s.Seconds >= settle.TotalSeconds).ToList();
        if (settledHeap.Count > 0)
        {
            report.Add(scenario, $"managed heap, GC committed (of the RSS) after {settle.TotalMinutes:0.#} min / at the end / slope",
                $"{settledHeap[0].RssMiB:0} / {settledHeap[^1].RssMiB:0} MiB / {SlopePerHour(settledHeap):+0.0;-0.0;0} MiB/h");
        }

        var fitted = settled.Count < 2 ? 0 : (settled[^1].Seconds - settled[0].Seconds) / 60;
        // Over less than half an hour the slope still carries the settling; it is shown, not judged.
        var judged = fitted >= 30;
        report.Add(scenario, $"RSS slope after {settle.TotalMinutes:0.#} min (least squares, {settled.Count} samples over {fitted:0.0} min)",
            $"{slope:+0.0;-0.0;0} MiB/h", judged ? "|slope| ≤ 10 MiB/h" : "", judged ? Math.Abs(slope) <= 10 : null);
        if (!judged)
        {
            report.Note($"{scenario}: the slope is fitted over {fitted:0.0} min only; it is judged from 30 min on (the full soak: BENCH_SOAK_MINUTES=60)");
        }

        report.Note($"{scenario}: RSS sampled every {settings.SoakSampleSeconds} s (BENCH_SOAK_SAMPLE_SECONDS), the slope fitted after the first {settle.TotalMinutes:0.#} min (BENCH_SOAK_SETTLE_MINUTES, a third of a shorter soak); one instance, {settings.Clients} clients, after the warm-up (BENCH_WARMUP_EVENTS)");
        report.Note($"{scenario}: RSS by minute: {string.Join(", ", ByMinute(samples))}");
    }

    /// <summary>
    /// Reads the service's VmRSS, and the managed heap's committed memory from its <c>/metrics</c>
    /// (<c>dotnet_gc_last_collection_memory_committed_size_bytes</c>), every <paramref name="period"/> until stopped.
    /// </summary>
    private static async Task SampleAsync(ServiceProcess service, TimeSpan period, Stopwatch clock, List<(double Seconds, double RssMiB)> samples, List<(double Seconds, double RssMiB)> heap, CancellationToken stop)
    {
        using var metrics = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                var rss = ProcStats.MemoryMiB(service.ProcessId, "VmRSS");
                if (rss > 0)
                {
                    samples.Add((clock.Elapsed.TotalSeconds, rss));
                }

                if (await GcCommittedMiBAsync(metrics, service.BaseUrl, stop) is { } committed)
                {
                    heap.Add((clock.Elapsed.TotalSeconds, committed));
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The GC's committed memory at its last collection, from the service's Prometheus text; null when it cannot be read.</summary>
    private static async Task<double?> GcCommittedMiBAsync(HttpClient client, string baseUrl, CancellationToken stop)
    {
        try
        {
            var text = await client.GetStringAsync($"{baseUrl}/metrics", stop);
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("dotnet_gc_last_collection_memory_committed_size_bytes", StringComparison.Ordinal))
                {
                    // name{labels} value [timestamp]
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / (1024 * 1024);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException)
        {
        }

        return null;
    }

    /// <summary>The least-squares slope of RSS over time, in MiB per hour; 0 with fewer than two samples.</summary>
    public static double SlopePerHour(IReadOnlyList<(double Seconds, double RssMiB)> samples)
    {
        if (samples.Count < 2)
        {
            return 0;
        }

        var meanT = samples.Average(s => s.Seconds);
        var meanR = samples.Average(s => s.RssMiB);
        var covariance = samples.Sum(s => (s.Seconds - meanT) * (s.RssMiB - meanR));
        var variance = samples.Sum(s => (s.Seconds - meanT) * (s.Seconds - meanT));
        return variance == 0 ? 0 : covariance / variance * 3600;
    }

    /// <summary>The last sample of each minute, as "m:MiB".</summary>
    private static IEnumerable<string> ByMinute(IReadOnlyList<(double Seconds, double RssMiB)> samples) =>
        samples.GroupBy(s => (int)(s.Seconds / 60)).Select(g => $"{g.Key + 1}: {g.Last().RssMiB:0}");
}
