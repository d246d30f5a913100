using System.Diagnostics;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Load;
using CorpNotifier.Benchmarks.Report;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Scenario 8: a burst of letters all due at one moment against a Sender limited to N calls a second
/// (<see cref="LimitedSender"/>: <c>429</c> with <c>Retry-After: 1</c> over it), the service's
/// <c>MailerLimits:PerSecond</c> set a little above N so the stand-in throttles it now and then.
/// Every letter must arrive exactly once, none end <c>failed</c>, the Sender see about N letters a
/// second, and no call reach it while it asked to wait.
/// </summary>
public static class Burst
{
    public const string Name = "8 burst against a limited mailer";

    public static async Task RunAsync(BenchSettings settings, BenchReport report)
    {
        var count = settings.BurstLetters;
        var limit = settings.BurstLimit;
        var serviceRate = settings.BurstServiceRate;
        await using var environment = await BenchEnvironment.CreateAsync(settings, "burst");
        await using var sender = new LimitedSender(limit);
        var serviceSettings = environment.ServiceSettings().Concat(sender.ServiceSettings()).ToDictionary();
        serviceSettings["MailerLimits:PerSecond"] = serviceRate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var service = await BenchService.StartAsync(settings.ServiceDll, serviceSettings, "burst");
        var clients = Enumerable.Range(0, settings.Clients).Select(WireEvents.ClientOf).ToList();
        await using (var publisher = await EventPublisher.ConnectAsync(environment))
        {
            await Measure.SeedClientsAsync(environment, publisher, clients, [service]);
        }

        // Created due tomorrow (left pending), then all made due at one moment by one statement:
        // the burst a billing sync's thousands of balance changes make.
        var letters = Enumerable.Range(0, count)
            .Select(i => new ScheduledLetters.Letter(clients[i % clients.Count], $"burst-{i}", 30m + (i * 0.0001m), DateTimeOffset.UtcNow.AddDays(1))).ToList();
        var creating = Stopwatch.StartNew();
        await ScheduledLetters.CreateAllAsync(service, letters, report, Name);
        report.Add(Name, "letters created (manual send, due tomorrow)", $"{count} in {creating.Elapsed.TotalSeconds:0.0} s");
        var due = DateTimeOffset.UtcNow;
        var made = await environment.ScalarAsync($"WITH due AS (UPDATE notices SET send_at = now(), planned_at = now() WHERE origin = 'manual' AND status = 'pending' RETURNING 1) SELECT count(*) FROM due");
        if (made != count)
        {
            report.Fail($"{Name}: {made} letters made due, {count} expected");
        }

        var expected = letters.Select(l => SenderStandIn.KeyOf(WireEvents.EmailOf(l.ClientId), "low-balance", WireEvents.BalanceText(l.Balance))).ToHashSet();
        await Measure.WaitForLettersAsync(environment, () => sender.Count, count, "the burst's letters at the Sender", [service]);
        await Measure.WaitUntilAsync(() => environment.ScalarAsync("SELECT count(*) FROM notices WHERE origin = 'manual' AND status IN ('sent', 'failed')"), count, "every letter recorded", [service]);
        var received = Measure.CheckLetters(report, Name, expected, sender.Receipts);
        var failed = await environment.ScalarAsync("SELECT count(*) FROM notices WHERE origin = 'manual' AND status <> 'sent'");
        var attempts = await environment.ScalarAsync("SELECT coalesce(max(attempts), 0) FROM notices WHERE origin = 'manual'");
        var retried = await environment.ScalarAsync("SELECT count(*) FROM notices WHERE origin = 'manual' AND attempts > 1");
        report.Add(Name, "letters / limit of the stand-in / the service's MailerLimits:PerSecond", $"{count} all due at one moment / {limit}/s (burst {Math.Max(1, limit / 2)}) / {serviceRate}/s");
        report.Add(Name, "letters not sent (failed or other) / taking more than one attempt / most attempts", $"{failed} / {retried} / {attempts}", "0 not sent", failed == 0);
        if (failed > 0)
        {
            report.Fail($"{Name}: {failed} letters did not end sent");
        }

        if (received.Count < 2)
        {
            return;
        }

        var first = received.Values.Min();
        var last = received.Values.Max();
        var rate = (received.Count - 1) / Moment.Milliseconds(first, last) * 1000;
        var within = Math.Abs(rate - limit) <= limit * 0.1;
        report.Add(Name, "accepted at the Sender (first → last accepted)", $"{Measure.Rate(rate, "letters")} ({rate / limit:P0} of the limit, over {Moment.Milliseconds(first, last) / 1000:0.0} s)", $"within 10 % of {limit}/s", within);
        report.Add(Name, "first letter accepted after the due moment", $"{(Moment.ToWall(first) - due).TotalSeconds:0.00} s");
        var late = sender.CallsDuringPause - sender.CallsDuringPauseInFlight;
        report.Add(
            Name,
            "429 answered / calls during a Retry-After pause (of which on their way within 50 ms of the 429)",
            $"{sender.Throttled} / {sender.CallsDuringPause} ({sender.CallsDuringPauseInFlight})",
            "0 calls later in a pause",
            late == 0);
        if (!within)
        {
            report.Fail($"{Name}: the Sender saw {rate:0} letters/s, not within 10 % of its limit {limit}/s");
        }
    }
}
