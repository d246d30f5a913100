using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Load;
using CorpNotifier.Benchmarks.Report;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Scenarios 4 and 5: letters scheduled ahead through the operators' manual send
/// (<c>POST /api/v1/clients/{clientId}/notices</c> with <c>sendAt</c>), falling due evenly over a
/// window (scenario 4: lateness = accepted at the Sender − due, and the drain rate) or all at one
/// moment (scenario 5: letters/s through the whole send path — claim, checks, render, mailer,
/// recorded). The letters are created before the first falls due: calibration batches (due
/// tomorrow, never sent) measure how fast they can be created, and the due moments start after that.
/// </summary>
public static class ScheduledLetters
{
    public const string LatenessName = "4 scheduled lateness";
    public const string DispatchName = "5 dispatch throughput";
    private const int Calibration = 200;
    private const int CreateConcurrency = 16;

    public static Task RunLatenessAsync(BenchSettings settings, BenchReport report) =>
        RunAsync(settings, report, LatenessName, settings.ScheduledLetters, TimeSpan.FromSeconds(settings.ScheduledWindowSeconds));

    /// <summary>The letters due at once; the target is the raw baseline <paramref name="raw"/> of the same run (events/s), in letters/s.</summary>
    public static Task RunDispatchAsync(BenchSettings settings, BenchReport report, double raw) =>
        RunAsync(settings, report, DispatchName, settings.DispatchLetters, TimeSpan.Zero, raw);

    private static async Task RunAsync(BenchSettings settings, BenchReport report, string scenario, int count, TimeSpan window, double raw = double.NaN)
    {
        await using var environment = await BenchEnvironment.CreateAsync(settings, window > TimeSpan.Zero ? "sched" : "dispatch");
        await using var sender = new SenderStandIn(recordCalls: false);
        await using var service = await BenchService.StartAsync(settings.ServiceDll, environment.ServiceSettings().Concat(sender.ServiceSettings()).ToDictionary(), "scheduled");
        var clients = Enumerable.Range(0, settings.Clients).Select(WireEvents.ClientOf).ToList();
        await using (var publisher = await EventPublisher.ConnectAsync(environment))
        {
            await Measure.SeedClientsAsync(environment, publisher, clients, [service]);
            await Measure.WarmUpAsync(settings, report, scenario, environment, publisher, clients, [service], () => sender.Count, sender.Receipts.Clear);
        }

        // Calibration: letters due tomorrow (left pending), a first batch to warm the service up and a
        // second to learn the creation rate.
        var calibration = Enumerable.Range(0, 2 * Calibration)
            .Select(i => new Letter(clients[i % clients.Count], $"calibration-{i}", 1m + (i * 0.0001m), DateTimeOffset.UtcNow.AddDays(1))).ToList();
        await CreateAllAsync(service, calibration[..Calibration], report, scenario);
        var timed = Stopwatch.StartNew();
        await CreateAllAsync(service, calibration[Calibration..], report, scenario);
        var perSecond = Calibration / timed.Elapsed.TotalSeconds;

        // Warm-up drains: letters due at once, sent before the measured ones, so the send path's
        // batches run on optimised code as in a service that has been up a while (the event warm-up
        // sends its letters a few at a time; without this about a third of the first drain's CPU was
        // the JIT compiling the batch path's methods again, tier by tier). Drained again until the
        // JIT is quiet.
        Task<long> SentCount() => environment.ScalarAsync("SELECT count(*) FROM notices WHERE origin = 'manual' AND status = 'sent'");
        var warmedUp = 0;
        if (settings.DrainWarmUpLetters > 0)
        {
            await Measure.UntilJitQuietAsync(settings, report, scenario, $"a drain of {settings.DrainWarmUpLetters} letters due at once", [service], async round =>
            {
                var warmUpDue = DateTimeOffset.UtcNow + TimeSpan.FromSeconds((settings.DrainWarmUpLetters / perSecond * 1.2) + 2);
                var warmUp = Enumerable.Range(0, settings.DrainWarmUpLetters)
                    .Select(i => new Letter(clients[i % clients.Count], $"drain-warm-up-{round}-{i}", 20m + (i * 0.0001m), warmUpDue)).ToList();
                await CreateAllAsync(service, warmUp, report, scenario);
                await Measure.WaitForLettersAsync(environment, () => sender.Count, warmUp.Count, "the warm-up drain's letters at the Sender", [service]);
                warmedUp += warmUp.Count;
                await Measure.WaitUntilAsync(SentCount, warmedUp, "the warm-up drain's letters recorded as sent", [service]);
                sender.Receipts.Clear();
            });
        }

        var lead = TimeSpan.FromSeconds(Math.Max(5, (count / perSecond * 1.2) - window.TotalSeconds + 3));
        var firstDue = DateTimeOffset.UtcNow + lead;

        var letters = Enumerable.Range(0, count).Select(i => new Letter(
            clients[i % clients.Count],
            $"letter-{i}",
            30m + (i * 0.0001m),
            firstDue + (window * i / count))).ToList();
        var creating = Stopwatch.StartNew();
        await CreateAllAsync(service, letters, report, scenario);
        var created = DateTimeOffset.UtcNow;
        report.Add(scenario, "letters created (manual send, 16 at once)", $"{count} in {creating.Elapsed.TotalSeconds:0.0} s ({Measure.Rate(count / creating.Elapsed.TotalSeconds, "letters")})");
        if (created > firstDue)
        {
            report.Note($"{scenario}: creating the letters took longer than the lead ({lead.TotalSeconds:0.0} s); the first {(created - firstDue).TotalSeconds:0.0} s of due letters were created late");
        }

        var expected = letters.ToDictionary(l => SenderStandIn.KeyOf(WireEvents.EmailOf(l.ClientId), "low-balance", WireEvents.BalanceText(l.Balance)), l => l.Due);
        await Measure.WaitForLettersAsync(environment, () => sender.Count, count, "the scheduled letters at the Sender", [service]);
        await Measure.WaitUntilAsync(SentCount, warmedUp + count, "every letter recorded as sent", [service]);
        var received = Measure.CheckLetters(report, scenario, expected.Keys.ToHashSet(), sender.Receipts);
        if (received.Count == 0)
        {
            return;
        }

        var lateness = received.Select(r => (Moment.ToWall(r.Value) - expected[r.Key]).TotalMilliseconds).Order().ToList();
        var first = received.Values.Min();
        var last = received.Values.Max();
        var drain = (received.Count - 1) / Moment.Milliseconds(first, last) * 1000;
        var lastRecorded = await RawBaseline.SpanSecondsAsync(environment, "SELECT extract(epoch FROM max(sent_at)) FROM notices WHERE origin = 'manual' AND status = 'sent'");
        var throughput = (received.Count - 1) / (DateTimeOffset.FromUnixTimeMilliseconds((long)(lastRecorded * 1000)) - Moment.ToWall(first)).TotalSeconds;
        var p99 = Measure.Percentile(lateness, 99);
        if (window > TimeSpan.Zero)
        {
            report.Add(scenario, "letters / window", $"{count} due evenly over {window.TotalSeconds:0} s, first due {lead.TotalSeconds:0.0} s after creation began");
            report.Add(scenario, "lateness p50 / p99 / max", $"{Measure.Ms(Measure.Percentile(lateness, 50))} / {Measure.Ms(p99)} / {Measure.Ms(lateness[^1])}", "p99 ≤ 2 000 ms", p99 <= 2000);
            report.Add(scenario, "drain rate (first → last accepted)", Measure.Rate(drain, "letters"));
            report.Add(scenario, "last letter accepted after the last due moment", $"{(Moment.ToWall(last) - expected.Values.Max()).TotalSeconds:0.00} s");
        }
        else
        {
            report.Add(scenario, "letters", $"{count} all due at one moment, {lead.TotalSeconds:0.0} s after creation began");
            report.Add(
                scenario,
                "dispatch throughput (first accepted → last recorded sent)",
                double.IsNaN(raw) ? Measure.Rate(throughput, "letters") : $"{Measure.Rate(throughput, "letters")} ({throughput / raw:0%} of the raw baseline's {Measure.Rate(raw, "events")})",
                double.IsNaN(raw) ? "≥ raw baseline (run raw first)" : "≥ raw baseline",
                double.IsNaN(raw) ? null : throughput >= raw);
            report.Add(scenario, "accepted at the Sender (first → last accepted)", Measure.Rate(drain, "letters"));
            report.Add(scenario, "first letter accepted after the due moment / lateness p99", $"{(Moment.ToWall(first) - firstDue).TotalSeconds:0.00} s / {Measure.Ms(p99)}");
        }
    }

    /// <summary>Creates the letters by manual send, 16 at once; a refusal is a failure of <paramref name="scenario"/>.</summary>
    internal static async Task CreateAllAsync(ServiceProcess service, List<Letter> letters, BenchReport report, string scenario)
    {
        var next = -1;
        var refused = 0;
        string? firstRefusal = null;
        using var @operator = service.ClientAs("operator");
        @operator.Timeout = TimeSpan.FromSeconds(60);
        await Task.WhenAll(Enumerable.Range(0, CreateConcurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < letters.Count)
            {
                var letter = letters[index];
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{Uri.EscapeDataString(letter.ClientId)}/notices")
                {
                    Content = JsonContent.Create(new
                    {
                        kind = "LowBalanceNotice",
                        contractId = WireEvents.ContractOf(letter.ClientId),
                        args = new Dictionary<string, string>
                        {
                            ["old_balance"] = "150",
                            ["new_balance"] = WireEvents.BalanceText(letter.Balance),
                            ["currency"] = "RUB",
                        },
                        sendAt = letter.Due,
                    }),
                };
                request.Headers.Add("Idempotency-Key", letter.IdempotencyKey);
                using var response = await @operator.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref refused);
                    firstRefusal ??= $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                }
            }
        }));
        if (refused > 0)
        {
            report.Fail($"{scenario}: {refused} manual sends were not created, e.g. {firstRefusal}");
        }
    }

    internal sealed record Letter(string ClientId, string IdempotencyKey, decimal Balance, DateTimeOffset Due);
}
