using System.Diagnostics;
using System.Globalization;
using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Load;
using CorpNotifier.Benchmarks.Report;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>What the scenarios share: seeding clients, waiting for progress, percentiles, and counting letters.</summary>
public static class Measure
{
    private const string JitTime = "dotnet_jit_compilation_time_seconds_total";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly HttpClient MetricsClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Publishes a profile and a contract re-sync for each client (not counted in any figure) and
    /// waits until the service stored them all.
    /// </summary>
    public static async Task SeedClientsAsync(BenchEnvironment environment, EventPublisher publisher, IReadOnlyList<string> clients, IReadOnlyList<ServiceProcess> services)
    {
        await publisher.PublishAllAsync(clients.Select(WireEvents.Profile));
        await publisher.PublishAllAsync(clients.Select(WireEvents.ContractResync));
        await WaitUntilAsync(() => environment.ScalarAsync("SELECT count(*) FROM events"), clients.Count * 2L, "the clients' profiles and contracts", services);
    }

    /// <summary>Event ids of the warm-up start with this; measured queries leave them out.</summary>
    public const string WarmUpPrefix = "warmup";

    /// <summary>
    /// Warms the service up as a long-running instance is before it is measured: the runtime
    /// compiles the hot path again with optimisations, tier by tier, over its first tens of seconds
    /// of work, which would otherwise weigh on every figure. Publishes rounds of
    /// <c>BENCH_WARMUP_EVENTS</c> balance events (one in five makes a letter), each waited for until
    /// its events are stored and its letters accepted, until the JIT is quiet
    /// (<see cref="UntilJitQuietAsync"/>); then <paramref name="forget"/>s those letters so no check
    /// counts them.
    /// </summary>
    public static async Task WarmUpAsync(BenchSettings settings, BenchReport report, string scenario, BenchEnvironment environment, EventPublisher publisher, IReadOnlyList<string> clients, IReadOnlyList<ServiceProcess> services, Func<int> received, Action forget)
    {
        if (settings.WarmUpEvents == 0)
        {
            return;
        }

        var stored = 0L;
        await UntilJitQuietAsync(settings, report, scenario, $"{settings.WarmUpEvents} balance events", services, async _ =>
        {
            var letters = 0;
            var events = new List<WireEvent>(settings.WarmUpEvents);
            for (var i = 0; i < settings.WarmUpEvents; i++)
            {
                var client = clients[i % clients.Count];
                var letter = i % 5 == 0;
                letters += letter ? 1 : 0;
                events.Add(letter
                    ? WireEvents.Balance(client, 150m, 30m + (i * 0.0001m), WarmUpPrefix)
                    : WireEvents.Balance(client, 200m, 180m, WarmUpPrefix));
            }

            await publisher.PublishAllAsync(events);
            stored += events.Count;
            await WaitUntilAsync(() => environment.ScalarAsync($"SELECT count(*) {EventsWithPrefix(WarmUpPrefix)}"), stored, "the warm-up events", services);
            await WaitForLettersAsync(environment, received, letters, "the warm-up letters", services);
            forget();
        });
    }

    /// <summary>
    /// Runs warm-up rounds until the services' JIT is quiet: the JIT time the runtime reports on
    /// <c>/metrics</c> (<c>dotnet_jit_compilation_time_seconds_total</c>) grew during the last round
    /// by at most <c>BENCH_WARMUP_JIT_QUIET_PERCENT</c> of the round's time per instance in
    /// <c>BENCH_WARMUP_QUIET_ROUNDS</c> rounds in a row, or <c>BENCH_WARMUP_ROUNDS</c> rounds ran.
    /// A fixed amount of warm-up was not enough: the tiers of the hot path (instrumented, then
    /// optimised) were still being compiled during the measured intake, a third of the service's
    /// CPU there. Notes the rounds and their JIT shares.
    /// </summary>
    public static async Task UntilJitQuietAsync(BenchSettings settings, BenchReport report, string scenario, string what, IReadOnlyList<ServiceProcess> services, Func<int, Task> round)
    {
        var shares = new List<double>();
        while (true)
        {
            var before = await JitSecondsAsync(services);
            var watch = Stopwatch.StartNew();
            await round(shares.Count + 1);
            var share = 100 * (await JitSecondsAsync(services) - before) / (watch.Elapsed.TotalSeconds * services.Count);
            shares.Add(share);
            var quiet = shares.Count >= settings.WarmUpQuietRounds
                && shares.TakeLast(settings.WarmUpQuietRounds).All(s => s <= settings.WarmUpJitQuietPercent);
            if (quiet || shares.Count >= settings.WarmUpRounds)
            {
                report.Note($"{scenario}: warm-up of {shares.Count} round{(shares.Count == 1 ? "" : "s")} of {what}; the JIT's share of each round's time: "
                    + string.Join(", ", shares.Select(s => Number(s, "0.0") + " %"))
                    + (quiet ? "" : $" (not {settings.WarmUpQuietRounds} rounds in a row below {Number(settings.WarmUpJitQuietPercent, "0.#")} % after BENCH_WARMUP_ROUNDS rounds)"));
                return;
            }
        }
    }

    /// <summary>
    /// The events whose id starts with <paramref name="prefix"/> and a dash, as a range of the primary
    /// key. A <c>LIKE</c> is a sequential scan of the whole table under the databases' C.UTF-8
    /// collation; polled every half second while the intake was measured, it took PostgreSQL about a
    /// tenth of a core away from the service (<c>pg_stat_statements</c>). Under a collation that orders
    /// by code point (C.UTF-8, C) the range holds exactly the prefix, since '.' follows '-'; the
    /// <c>LIKE</c> kept as a filter on the range's rows makes sure no other row is counted.
    /// </summary>
    public static string EventsWithPrefix(string prefix) => $"FROM events WHERE event_id >= '{prefix}-' AND event_id < '{prefix}.' AND event_id LIKE '{prefix}-%'";

    /// <summary>The JIT time the services' runtimes report so far, summed.</summary>
    public static async Task<double> JitSecondsAsync(IReadOnlyList<ServiceProcess> services)
    {
        var total = 0.0;
        foreach (var service in services)
        {
            var text = await MetricsClient.GetStringAsync($"{service.BaseUrl}/metrics");
            foreach (var line in text.Split('\n'))
            {
                // name{labels} value [timestamp], or name value [timestamp]
                if (line.StartsWith(JitTime, StringComparison.Ordinal) && line.Length > JitTime.Length && line[JitTime.Length] is '{' or ' ')
                {
                    var rest = line[JitTime.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[JitTime.Length..];
                    total += double.Parse(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], Invariant);
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it reaches <paramref name="target"/>; fails when it has not moved
    /// for <paramref name="stall"/> (default 60 s) or a service process ended.
    /// </summary>
    public static async Task<long> WaitUntilAsync(Func<Task<long>> probe, long target, string what, IReadOnlyList<ServiceProcess> services, TimeSpan? stall = null, int pollMs = 250)
    {
        var last = -1L;
        var moved = DateTime.UtcNow;
        while (true)
        {
            var value = await probe();
            if (value >= target)
            {
                return value;
            }

            if (value != last)
            {
                last = value;
                moved = DateTime.UtcNow;
            }

            if (services.FirstOrDefault(s => s.HasExited) is { } ended)
            {
                throw new InvalidOperationException($"{ended.Name} exited while waiting for {what} ({value} of {target}):\n{ended.Log()}");
            }

            if (DateTime.UtcNow - moved > (stall ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"no progress towards {what} for {(stall ?? TimeSpan.FromSeconds(60)).TotalSeconds:0} s: {value} of {target}\n{string.Join('\n', services.Select(s => $"--- {s.Name}\n{s.Log()}"))}");
            }

            await Task.Delay(pollMs);
        }
    }

    /// <summary>The <paramref name="p"/>-th percentile (nearest rank) of values sorted ascending.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString(ms < 10 ? "0.0" : "0", Invariant) + " ms";

    public static string Rate(double perSecond, string unit) => double.IsNaN(perSecond) ? "n/a" : perSecond.ToString(perSecond < 100 ? "0.0" : "0", Invariant) + $" {unit}/s";

    public static string Number(double value, string format = "0") => value.ToString(format, Invariant);

    /// <summary>
    /// Compares what a stand-in received with what was expected: every expected letter once, nothing
    /// else. Adds the counts to the report and a failure for any lost, duplicated or unexpected letter.
    /// Returns the first receipt of each expected letter.
    /// </summary>
    public static Dictionary<string, long> CheckLetters(BenchReport report, string scenario, IReadOnlySet<string> expected, IEnumerable<Receipt> receipts)
    {
        var byKey = receipts.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.ToList());
        var duplicates = byKey.Values.Sum(r => r.Count - 1);
        var lost = expected.Count(k => !byKey.ContainsKey(k));
        var unexpected = byKey.Keys.Count(k => !expected.Contains(k));
        report.Add(scenario, "letters expected / received once / duplicates / lost / unexpected",
            $"{expected.Count} / {expected.Count(k => byKey.TryGetValue(k, out var r) && r.Count == 1)} / {duplicates} / {lost} / {unexpected}",
            "0 duplicates, 0 lost", duplicates == 0 && lost == 0 && unexpected == 0);
        if (duplicates > 0 || lost > 0 || unexpected > 0)
        {
            report.Fail($"{scenario}: {duplicates} duplicate, {lost} lost, {unexpected} unexpected letters of {expected.Count}");
        }

        return byKey.Where(p => expected.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.Min(r => r.Timestamp));
    }

    /// <summary>
    /// Waits until a stand-in holds at least <paramref name="count"/> receipts, then until the
    /// service has no letter due or being sent: a letter's outcome is recorded only after the
    /// mailer call returned, so from then on every send, a duplicate included, has reached the
    /// stand-in.
    /// </summary>
    public static async Task WaitForLettersAsync(BenchEnvironment environment, Func<int> received, int count, string what, IReadOnlyList<ServiceProcess> services)
    {
        await WaitUntilAsync(() => Task.FromResult((long)received()), count, what, services, TimeSpan.FromSeconds(90), pollMs: 100);
        await WaitUntilAsync(
            () => environment.ScalarAsync("SELECT (NOT EXISTS (SELECT 1 FROM notices WHERE status = 'sending' OR (status = 'pending' AND send_at <= now())))::int"),
            1, $"every send of {what} to be recorded", services, pollMs: 100);
    }
}
