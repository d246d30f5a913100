using System.Diagnostics;
using System.Globalization;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Load;
using CorpNotifier.Benchmarks.Report;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: balance events that each make an immediate low-balance letter, offered at fixed rates
/// (for comparison with earlier runs) and at a quarter and a tenth of the raw baseline of the same run
/// (the targets: p99 ≤ 500 ms offered for the full time, and ≤ 100 ms) for a fixed time; the latency of each letter from its event's publish to its acceptance by the
/// Sender stand-in (or, in the SMTP run, the SMTP stand-in). The publish moment is the one the
/// schedule intended, so a publisher that fell behind does not hide the delay.
/// </summary>
public static class ImmediateLatency
{
    public const string Name = "3 immediate latency";

    /// <summary>A rate stops being offered once this many seconds of its events wait unanswered: the service fell behind, and more would only lengthen the run.</summary>
    private const int MaxBacklogSeconds = 5;

    /// <summary>The Sender runs, one per rate, on one instance and one database; <paramref name="raw"/> is the raw baseline of the same run (events/s), NaN when it was not run.</summary>
    public static async Task RunSenderAsync(BenchSettings settings, BenchReport report, double raw)
    {
        await using var environment = await BenchEnvironment.CreateAsync(settings, "latency");
        await using var sender = new SenderStandIn(recordCalls: false);
        await using var service = await BenchService.StartAsync(settings.ServiceDll, environment.ServiceSettings().Concat(sender.ServiceSettings()).ToDictionary(), "latency");
        await using var publisher = await EventPublisher.ConnectAsync(environment, channels: 1);
        var clients = Enumerable.Range(0, settings.Clients).Select(WireEvents.ClientOf).ToList();
        await Measure.SeedClientsAsync(environment, publisher, clients, [service]);
        await Measure.WarmUpAsync(settings, report, $"{Name}, Sender", environment, publisher, clients, [service], () => sender.Count, sender.Receipts.Clear);

        var next = 0;
        var expected = new HashSet<string>();
        var rates = new List<(string Label, Dictionary<string, long> Published, double Lag, double? Target, bool Full)>();
        var warmUp = await OfferAsync(publisher, clients, 50, 2, () => next++, _ => false);
        expected.UnionWith(warmUp.Published.Keys);
        var offers = settings.LatencyRates.Select(r => (Label: $"{r}/s", Rate: r, Target: (double?)null)).ToList();
        if (!double.IsNaN(raw))
        {
            offers.Add(($"R/4 = {(int)(raw / 4)}/s", (int)(raw / 4), 500));
            offers.Add(($"R/10 = {(int)(raw / 10)}/s", (int)(raw / 10), 100));
        }

        foreach (var (label, rate, target) in offers)
        {
            var before = expected.Count;
            var run = await OfferAsync(publisher, clients, rate, settings.LatencySeconds, () => next++, sent => before + sent - sender.Count > rate * MaxBacklogSeconds);
            expected.UnionWith(run.Published.Keys);
            await Measure.WaitForLettersAsync(environment, () => sender.Count, expected.Count, $"the letters offered at {label}", [service]);
            var full = Stopped(report, $"{Name}, Sender, {label}", run, rate, settings.LatencySeconds);
            rates.Add((label, run.Published, run.LagMs, target, full));
        }

        var received = Measure.CheckLetters(report, $"{Name}, Sender", expected, sender.Receipts);
        foreach (var (label, published, lag, target, full) in rates)
        {
            Latencies(report, $"{Name}, Sender, {label}", published, received, target, lag, full);
        }

        report.Note($"{Name}: each rate offered for {settings.LatencySeconds} s (BENCH_LATENCY_SECONDS) after the service's warm-up (BENCH_WARMUP_EVENTS) and 2 s at 50/s, one instance, {settings.Clients} clients.");
    }

    /// <summary>The SMTP run at <see cref="BenchSettings.SmtpRate"/>: letters are told apart by their <c>X-Notice-Id</c>, traced back to their event in the database.</summary>
    public static async Task RunSmtpAsync(BenchSettings settings, BenchReport report)
    {
        await using var environment = await BenchEnvironment.CreateAsync(settings, "smtp");
        await using var smtp = new FakeSmtpServer(keepMessages: false);
        await using var service = await BenchService.StartAsync(settings.ServiceDll, environment.ServiceSettings().Concat(smtp.ServiceSettings()).ToDictionary(), "smtp");
        await using var publisher = await EventPublisher.ConnectAsync(environment, channels: 1);
        var clients = Enumerable.Range(0, settings.Clients).Select(WireEvents.ClientOf).ToList();
        await Measure.SeedClientsAsync(environment, publisher, clients, [service]);
        await Measure.WarmUpAsync(settings, report, $"{Name}, SMTP", environment, publisher, clients, [service], () => smtp.Count, smtp.Receipts.Clear);

        var next = 0;
        var warmUp = await OfferAsync(publisher, clients, 50, 2, () => next++, _ => false);
        var before = warmUp.EventIds.Count;
        var run = await OfferAsync(publisher, clients, settings.SmtpRate, settings.LatencySeconds, () => next++, sent => before + sent - smtp.Count > settings.SmtpRate * MaxBacklogSeconds);
        _ = Stopped(report, $"{Name}, SMTP, {settings.SmtpRate}/s", run, settings.SmtpRate, settings.LatencySeconds);
        var events = warmUp.EventIds.Concat(run.EventIds).ToList();
        await Measure.WaitForLettersAsync(environment, () => smtp.Count, events.Count, "the SMTP letters", [service]);

        // Each event made one notice; the stand-in saw notice ids.
        var noticeOf = new Dictionary<string, string>();
        await using (var command = environment.Database.CreateCommand("SELECT event_id, id FROM notices WHERE event_id IS NOT NULL"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                noticeOf[reader.GetString(0)] = reader.GetInt64(1).ToString(CultureInfo.InvariantCulture);
            }
        }

        var expected = events.Select(e => noticeOf.GetValueOrDefault(e.EventId) ?? $"no notice for {e.EventId}").ToHashSet();
        var received = Measure.CheckLetters(report, $"{Name}, SMTP", expected, smtp.Receipts);
        var published = run.EventIds.Where(e => noticeOf.ContainsKey(e.EventId)).ToDictionary(e => noticeOf[e.EventId], e => run.Published[e.Key]);
        Latencies(report, $"{Name}, SMTP, {settings.SmtpRate}/s", published, received, null, run.LagMs, full: true);
    }

    /// <summary>The latency row; a target is met only when the rate was offered for the full time (<paramref name="full"/>).</summary>
    private static void Latencies(BenchReport report, string scenario, Dictionary<string, long> published, Dictionary<string, long> received, double? p99Target, double lagMs, bool full)
    {
        var latencies = published.Where(p => received.ContainsKey(p.Key))
            .Select(p => Moment.Milliseconds(p.Value, received[p.Key])).Order().ToList();
        var p99 = Measure.Percentile(latencies, 99);
        report.Add(scenario, "latency p50 / p95 / p99 / max",
            $"{Measure.Ms(Measure.Percentile(latencies, 50))} / {Measure.Ms(Measure.Percentile(latencies, 95))} / {Measure.Ms(p99)} / {Measure.Ms(latencies.DefaultIfEmpty(double.NaN).Last())} ({latencies.Count} letters)",
            p99Target is { } target ? $"p99 ≤ {target:0} ms, offered for the full time" : "", p99Target is { } t ? p99 <= t && full : null);
        if (lagMs > 20)
        {
            report.Note($"{scenario}: the publisher fell up to {lagMs:0} ms behind its schedule (latency counts from the scheduled moment)");
        }
    }

    /// <summary>Notes a rate that was stopped early; true when it was offered for the full time.</summary>
    private static bool Stopped(BenchReport report, string scenario, Offer run, int rate, int seconds)
    {
        if (run.EventIds.Count < rate * seconds)
        {
            report.Note($"{scenario}: offered for {run.EventIds.Count / (double)rate:0.0} s of {seconds} s only: {MaxBacklogSeconds} s of events ({rate * MaxBacklogSeconds}) were waiting for their letters, the service could not keep up");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Publishes <paramref name="rate"/> × <paramref name="seconds"/> balance events on schedule, each
    /// making one low-balance letter, unless <paramref name="saturated"/> (given how many were sent)
    /// says to stop early. Returns each letter's key with its scheduled publish moment.
    /// </summary>
    private static async Task<Offer> OfferAsync(EventPublisher publisher, IReadOnlyList<string> clients, int rate, int seconds, Func<int> nextIndex, Func<int, bool> saturated)
    {
        var count = rate * seconds;
        var events = new List<(WireEvent Event, string Key)>(count);
        for (var i = 0; i < count; i++)
        {
            var index = nextIndex();
            var client = clients[index % clients.Count];
            var to = 25.5m + (index * 0.0001m);
            events.Add((WireEvents.Balance(client, 150m, to), SenderStandIn.KeyOf(WireEvents.EmailOf(client), "low-balance", WireEvents.BalanceText(to))));
        }

        var published = new Dictionary<string, long>(count);
        var confirms = new List<Task>(count);
        var start = Moment.Now + (Stopwatch.Frequency / 10);
        var lag = 0.0;
        var sent = 0;
        while (sent < count && !saturated(sent))
        {
            var now = Moment.Now;
            while (sent < count && start + (long)(sent * (double)Stopwatch.Frequency / rate) <= now)
            {
                var scheduled = start + (long)(sent * (double)Stopwatch.Frequency / rate);
                lag = Math.Max(lag, Moment.Milliseconds(scheduled, Moment.Now));
                published[events[sent].Key] = scheduled;
                confirms.Add(publisher.PublishAsync(events[sent].Event));
                sent++;
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(confirms);
        return new Offer(published, events.Take(sent).Select(e => new EventKey(e.Event.EventId, e.Key)).ToList(), lag);
    }

    private sealed record EventKey(string EventId, string Key);

    private sealed record Offer(Dictionary<string, long> Published, IReadOnlyList<EventKey> EventIds, double LagMs);
}
