using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using CorpNotifier.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The load of the fault suite: clients with a profile and a contract (thresholds 100 / 25), and a
/// few thousand balance events whose letters are known in advance — about one in five makes a
/// low-balance letter, one in twenty a limit-is-over letter now and its reminder
/// <see cref="RemindOffset"/> later (due during the run), the rest nothing. Every letter carries a
/// balance no other letter of its client carries, so each Sender call names exactly one letter:
/// a letter never received is lost, one received twice is a duplicate.
/// </summary>
public sealed class FaultLoad
{
    public const string RemindOffset = "00:00:12";

    private static TestEvents Events => TestEvents.RealTime;

    private readonly List<BalanceChanged> _events = [];
    private readonly HashSet<(string Email, string Slug, string Balance)> _expected = [];
    private long _published;

    public FaultLoad(int clients, int eventsPerClient, int seed = 7)
    {
        var random = new Random(seed);
        Clients = Enumerable.Range(0, clients).Select(i => $"fault-{i:D3}").ToList();
        for (var j = 0; j < eventsPerClient; j++)
        {
            foreach (var client in Clients)
            {
                var roll = random.NextDouble();
                var (from, to) = roll switch
                {
                    < 0.20 => (150m, 25m + (j * 0.01m)),  // low balance: one letter now
                    < 0.25 => (150m, j * 0.01m),          // limit is over: a letter now, its reminder later
                    _ => (200m, 180m),                    // no letter
                };
                var evt = Events.Balance(client, from, to, contractId: ContractOf(client));
                _events.Add(evt);
                var balance = to.ToString(CultureInfo.InvariantCulture);
                if (from == 150m && to >= 25m)
                {
                    _expected.Add((EmailOf(client), "low-balance", balance));
                }
                else if (from == 150m)
                {
                    _expected.Add((EmailOf(client), "limit-is-over", balance));
                    _expected.Add((EmailOf(client), "limit-is-over-remind", balance));
                }
            }
        }
    }

    public IReadOnlyList<string> Clients { get; }

    public int ExpectedLetters => _expected.Count;

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Settings for a run under faults: short leases and requeues, so a killed instance's work comes back within seconds.</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["Notices:LimitIsOverRemindNotice:Offset"] = RemindOffset,
        ["Dispatch:Lease"] = "00:00:05",
        ["Dispatch:RequeueAfter"] = "00:00:05",
        ["Dispatch:MaxAttempts"] = "30",
        ["Dispatch:MaxRetryBackoff"] = "00:00:02",
        ["Persistence:RetryDelay"] = "00:00:00.200",
        ["Persistence:MaxRetryDelay"] = "00:00:02",
    };

    public static string ContractOf(string client) => $"{client}-contract";

    public static string EmailOf(string client) => $"{client}@clients.example";

    /// <summary>Profiles and contracts over HTTP, then waits until all are processed.</summary>
    public async Task SeedAsync(ServiceProcess service, SystemEnvironment env, Func<string> logs)
    {
        foreach (var client in Clients)
        {
            await PostWithRetryAsync(service, Events.Profile(client, [EmailOf(client)]));
            await PostWithRetryAsync(service, Events.ContractResync(client, ContractOf(client)));
        }

        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = env.Db();
                return await db.Events.CountAsync();
            },
            n => n == Clients.Count * 2,
            "the clients' profiles and contracts",
            TimeSpan.FromSeconds(120),
            logs);
    }

    /// <summary>
    /// Publishes every event as a C# producer does (MassTransit, publisher confirms). A publish the
    /// broker did not confirm (it is restarting) is sent again, same event id, until it is: a
    /// producer's normal duty, and the reason intake must be idempotent.
    /// </summary>
    public async Task PublishAllAsync(IBus bus, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < _events.Count)
            {
                await PublishWithRetryAsync(bus, _events[index], cancellationToken);
                Interlocked.Increment(ref _published);
            }
        }));
    }

    /// <summary>Waits until every expected letter reached the Sender (or the timeout), then counts.</summary>
    public async Task<FaultFigures> SettleAsync(FakeUpstreams upstreams, SystemEnvironment env, TimeSpan timeout, Func<string> logs)
    {
        // Settled: every expected letter reached the Sender, and no letter is still on its way
        // (the last acceptance may still be being recorded).
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && (Received(upstreams).Distinct().Count() < _expected.Count || await InFlightAsync(env) > 0))
        {
            await Task.Delay(200);
        }

        await using var db = env.Db();
        var statuses = await db.Notices.GroupBy(n => n.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var processed = await db.Events.CountAsync(e => e.Type == nameof(BalanceChanged));
        var due = await db.Notices.CountAsync(n => n.SendAt <= DateTimeOffset.UtcNow);
        var received = Received(upstreams).ToList();
        var counts = received.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        return new FaultFigures(
            EventsSent: _events.Count,
            EventsProcessed: processed,
            LettersExpected: _expected.Count,
            LettersDue: due,
            LettersSent: statuses.GetValueOrDefault(NoticeStatus.Sent),
            Received: counts.Count,
            Duplicates: counts.Values.Sum(c => c - 1),
            Lost: _expected.Count(e => !counts.ContainsKey(e)),
            Unexpected: counts.Keys.Count(k => !_expected.Contains(k)),
            Statuses: statuses.OrderBy(s => s.Key).Select(s => $"{s.Key.ToString().ToLowerInvariant()} {s.Value}").ToList(),
            Elapsed: watch.Elapsed);
    }

    private static async Task<int> InFlightAsync(SystemEnvironment env)
    {
        await using var db = env.Db();
        return await db.Notices.CountAsync(n => n.Status == NoticeStatus.Pending || n.Status == NoticeStatus.Sending);
    }

    private static IEnumerable<(string Email, string Slug, string Balance)> Received(FakeUpstreams upstreams) =>
        upstreams.SenderDelivered.Select(c => (c.ToEmail, c.Slug, c.Args.GetProperty("new_balance").GetString()!));

    private static async Task PublishWithRetryAsync(IBus bus, BalanceChanged evt, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await bus.Publish(evt, timeout.Token);
                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && attempt < 200)
            {
                await Task.Delay(250, cancellationToken); // the producer's own backoff while the broker restarts
            }
        }
    }

    private static async Task PostWithRetryAsync(ServiceProcess service, Contracts.IEvent evt)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await service.Client.PostAsJsonAsync("/api/v1/events", Intake.EventEnvelopeReader.Write(evt));
            if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
            {
                return;
            }

            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
            attempt.ShouldBeLessThan(100);
            await Task.Delay(250);
        }
    }
}

/// <summary>What a fault run did, printed by every test of the suite.</summary>
public sealed record FaultFigures(
    int EventsSent,
    int EventsProcessed,
    int LettersExpected,
    int LettersDue,
    int LettersSent,
    int Received,
    int Duplicates,
    int Lost,
    int Unexpected,
    IReadOnlyList<string> Statuses,
    TimeSpan Elapsed)
{
    public void Print(ITestOutputHelper output, string fault, string? note = null)
    {
        output.WriteLine($"fault: {fault}");
        output.WriteLine($"  events sent {EventsSent}, processed {EventsProcessed}");
        output.WriteLine($"  letters expected {LettersExpected}, due {LettersDue}, sent {LettersSent}, received by the Sender {Received}");
        output.WriteLine($"  duplicates {Duplicates}, lost {Lost}, unexpected {Unexpected}");
        output.WriteLine($"  letters by status: {string.Join(", ", Statuses)}; settled {Elapsed.TotalSeconds:0.0} s after the load");
        if (note is not null)
        {
            output.WriteLine($"  {note}");
        }
    }

    /// <summary>No loss, nothing unexpected, and no duplicate beyond <paramref name="allowedDuplicates"/> (the documented crash window).</summary>
    public void ShouldHold(int allowedDuplicates = 0)
    {
        EventsProcessed.ShouldBe(EventsSent, "every confirmed event is processed");
        Lost.ShouldBe(0, "no letter is lost");
        Unexpected.ShouldBe(0, "no letter that no event asked for");
        LettersSent.ShouldBe(LettersExpected, "every letter ends sent");
        Duplicates.ShouldBeLessThanOrEqualTo(allowedDuplicates, "no letter goes out twice (beyond the documented window of a crash between the mailer's acceptance and the commit)");
    }
}
