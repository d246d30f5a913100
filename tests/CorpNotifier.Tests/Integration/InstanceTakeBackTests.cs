using System.Net.Http.Json;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// Who may take a claim back before its lease ends (docs/adr/0013): a process starting under the
/// instance name of one that is gone takes that one's claims back at once; nobody takes the claim
/// of a process that may still be running — not a process starting under the same name while the
/// holder renews its heartbeat, not an instance that starts while a holder's lease has run out
/// (it may be waiting for the database to record what the mailer accepted).
/// Several hosts share one SQLite file, as instances share one database.
/// </summary>
public sealed class InstanceTakeBackTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private readonly string _folder = Directory.CreateTempSubdirectory("corp-notifier-takeback-").FullName;
    private readonly List<TestHost> _hosts = [];

    [Fact]
    public async Task A_process_restarted_under_the_name_of_a_killed_one_takes_back_its_claim_at_once_and_sends_the_letter()
    {
        var setup = Start("setup");
        var killed = Guid.NewGuid();
        var id = await ClaimedLetterAsync(setup, killed, leaseUntil: DateTimeOffset.UtcNow.AddHours(1));
        await RegisterAsync(setup, "node-1", killed, seenAt: DateTimeOffset.UtcNow.AddMinutes(-1)); // killed: no heartbeat for a minute

        var restarted = Start("node-1");
        var notice = await Eventually.MatchAsync(() => NoticeAsync(restarted, id), n => n.Status == NoticeStatus.Sent, "the letter to be sent after the restart");

        notice.Timeline.ShouldContain(t => t.Type == TimelineEntryType.LeaseExpired && t.Detail!.Contains("taken back at the restart of node-1", StringComparison.Ordinal));
        notice.Attempts.ShouldBe(2);
        notice.SentAt!.Value.ShouldBeLessThan(notice.SendAt + TimeSpan.FromMinutes(1), "not a whole lease (an hour) later");
    }

    [Fact]
    public async Task A_process_starting_under_the_name_of_a_running_one_leaves_its_claims_alone()
    {
        var running = Start("node-1");
        var runningIncarnation = running.Services.GetRequiredService<InstanceIdentity>().Incarnation;
        await Eventually.MatchAsync(() => InstanceAsync(running, "node-1"), i => i?.Incarnation == runningIncarnation, "the running process to register");
        var id = await ClaimedLetterAsync(running, runningIncarnation, leaseUntil: DateTimeOffset.UtcNow.AddHours(1));
        var before = await NoticeAsync(running, id);

        var second = Start("node-1");
        await Eventually.MatchAsync(
            () => Task.FromResult(second.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("Another running process uses the instance name node-1", StringComparison.Ordinal))),
            found => found,
            "the second process to see the name in use");

        var after = await NoticeAsync(running, id);
        after.Status.ShouldBe(NoticeStatus.Sending);
        after.LeaseToken.ShouldBe(before.LeaseToken);
        (await InstanceAsync(running, "node-1"))!.Incarnation.ShouldBe(runningIncarnation, "the running process keeps its name");
    }

    [Fact]
    public async Task An_instance_that_starts_gives_an_expired_claim_one_lease_before_it_takes_it_back()
    {
        var setup = Start("setup");
        var id = await ClaimedLetterAsync(setup, Guid.NewGuid(), leaseUntil: DateTimeOffset.UtcNow.AddHours(1));
        _hosts.Remove(setup);
        await setup.DisposeAsync(); // only the new instance sweeps from now on

        var startedAt = DateTimeOffset.UtcNow;
        var fresh = Start("node-2");
        // Its holder's lease ran out (say, during an outage this instance did not see).
        await fresh.WithDbAsync(db => db.Notices.Where(n => n.Id == id).ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseUntil, DateTimeOffset.UtcNow.AddSeconds(-1))));
        await fresh.WaitForSweepsAsync();
        if (DateTimeOffset.UtcNow < startedAt + Lease)
        {
            (await NoticeAsync(fresh, id)).Status.ShouldBe(NoticeStatus.Sending, "its holder may be waiting for the database to record it");
        }

        var notice = await Eventually.MatchAsync(() => NoticeAsync(fresh, id), n => n.Status == NoticeStatus.Sent, "the letter to be sent once the lease from the start ran out");
        notice.Timeline.Where(t => t.Type == TimelineEntryType.LeaseExpired).Min(t => t.At).ShouldBeGreaterThanOrEqualTo(startedAt + Lease);
    }

    [Fact]
    public void A_stale_after_shorter_than_two_heartbeats_stops_the_start_naming_its_key()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Instance:Heartbeat"] = "00:00:05", ["Instance:StaleAfter"] = "00:00:06" });
        Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => host.CreateClient()).Message
            .ShouldContain("Instance:StaleAfter: must be at least twice Instance:Heartbeat");
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private TestHost Start(string name)
    {
        var host = new TestHost(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_folder, "shared.db")}",
            ["Instance:Name"] = name,
            ["Instance:Heartbeat"] = "00:00:00.100",
            ["Instance:StaleAfter"] = "00:00:01",
            ["Dispatch:Lease"] = $"00:00:{Lease.TotalSeconds:00}",
        });
        _hosts.Add(host);
        _ = host.Services; // started, its database open
        return host;
    }

    /// <summary>
    /// A balance letter for a known client, claimed (<c>sending</c>) by <paramref name="holder"/> as
    /// the send path claims it, with the lease ending at <paramref name="leaseUntil"/>.
    /// </summary>
    private static async Task<long> ClaimedLetterAsync(TestHost host, Guid holder, DateTimeOffset leaseUntil)
    {
        await host.PostAndWaitAsync(host.Events.Profile("client-42", ["billing@acme.example"]));
        await host.PostAndWaitAsync(host.Events.ContractResync("client-42", "contract-7"));
        using var client = host.Client();
        using var response = await client.PostAsJsonAsync("/api/v1/clients/client-42/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "contract-7",
            args = new { old_balance = "150", new_balance = "50", currency = "RUB" },
            sendAt = DateTimeOffset.UtcNow.AddDays(1),
        });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var now = host.Clock.GetUtcNow();
        await host.WithDbAsync(db => db.Notices.Where(n => n.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, NoticeStatus.Sending)
            .SetProperty(n => n.SendAt, now)
            .SetProperty(n => n.Attempts, 1)
            .SetProperty(n => n.LeaseToken, Guid.NewGuid())
            .SetProperty(n => n.LeaseUntil, leaseUntil)
            .SetProperty(n => n.LeaseHolder, holder)));
        return id;
    }

    private static Task RegisterAsync(TestHost host, string name, Guid incarnation, DateTimeOffset seenAt) =>
        host.WithDbAsync(async db =>
        {
            db.Instances.Add(new InstanceRecord { Name = name, Incarnation = incarnation, StartedAt = seenAt, SeenAt = seenAt });
            return await db.SaveChangesAsync();
        });

    private static Task<Notice> NoticeAsync(TestHost host, long id) =>
        host.WithDbAsync(db => db.Notices.AsNoTracking().Include(n => n.Timeline).SingleAsync(n => n.Id == id));

    private static Task<InstanceRecord?> InstanceAsync(TestHost host, string name) =>
        host.WithDbAsync(db => db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Name == name));
}
