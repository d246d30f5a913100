using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The crash window after a database outage (docs/operations.md, "A crash while sending"): a letter
/// claimed by an instance that is killed while PostgreSQL is down. Measured both ways at once: the
/// instance restarted under its name takes its claim back as it starts; an instance that never
/// comes back leaves its claim to the lease, which the others honour for one lease after the
/// database is back (a live holder may still be waiting to record what the mailer accepted).
/// The outage lasts as long as the killed instance takes to be restarted (up to <c>/health/live</c>).
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class CrashWindowTests(ITestOutputHelper output) : SystemTest
{
    /// <summary>
    /// A short lease keeps the test short (the figures scale with it; the default is 2 min), yet
    /// longer than the test holds the letters at the mailer before the kill: a live holder whose send
    /// outlasts its lease loses the letter to another instance, which is what a lease means.
    /// </summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly Figures _output = new(output, nameof(CrashWindowTests));

    private static Dictionary<string, string> Settings => new()
    {
        ["Dispatch:Lease"] = $"00:00:{Lease.TotalSeconds:00}",
        ["Instance:Heartbeat"] = "00:00:01",
        ["Instance:StaleAfter"] = "00:00:03",
        // The Sender stand-in holds the calls until the instances are killed: no timeout meanwhile.
        ["Sender:Timeout"] = "00:02:00",
        ["Persistence:RetryDelay"] = "00:00:00.200",
        ["Persistence:MaxRetryDelay"] = "00:00:02",
    };

    [Fact]
    public async Task A_letter_claimed_by_an_instance_killed_during_a_database_outage_goes_out_once_as_it_restarts_and_otherwise_a_lease_after_the_outage()
    {
        var survivor = await StartServiceAsync(Settings, name: "survivor");
        var started = await Task.WhenAll(StartServiceAsync(Settings, name: "crash-restarted"), StartServiceAsync(Settings, name: "crash-gone"));
        var (restarted, gone) = (started[0], started[1]);
        await SeedClientAsync(survivor);

        // The mailer holds every call: each letter stays claimed by the instance that took it.
        Upstreams.SenderLatency = TimeSpan.FromMinutes(5);
        var restartedLetter = await SendNowAsync(restarted, "111");
        var goneLetter = await SendNowAsync(gone, "222");
        await WaitForNoticesAsync(n => n.Count(x => x.Status == NoticeStatus.Sending) == 2, "both letters claimed");
        await Eventually.MatchAsync(() => Task.FromResult(Upstreams.SenderCalls.Count), n => n == 2, "both letters at the mailer", diagnostics: Logs);

        ServiceProcess? again = null;
        var outage = Stopwatch.StartNew();
        await Servers.StopPostgresAsync();
        try
        {
            restarted.Kill();
            gone.Kill();
            Upstreams.SenderLatency = TimeSpan.Zero;
            await Eventually.MatchAsync(survivor.IsReadyAsync, ready => !ready, "the survivor to see the outage", TimeSpan.FromSeconds(60), Logs);

            // Its supervisor restarts one of them at once, under its name; it waits for the database.
            again = await StartServiceAsync(Settings, name: "crash-restarted", waitUntilReady: false);
        }
        finally
        {
            await Servers.StartPostgresAsync();
        }

        var down = outage.Elapsed;
        var back = await PostgresStartedAtAsync(); // when it was back, as the server says
        var notices = await WaitForNoticesAsync(
            n => n.Where(x => x.Id == restartedLetter || x.Id == goneLetter).All(x => x.Status == NoticeStatus.Sent),
            "both letters sent after the outage",
            TimeSpan.FromSeconds(120));

        var byRestart = notices.Single(n => n.Id == restartedLetter);
        var byLease = notices.Single(n => n.Id == goneLetter);
        var lateByRestart = byRestart.SentAt!.Value - byRestart.SendAt;
        var lateByLease = byLease.SentAt!.Value - byLease.SendAt;
        _output.WriteLine($"letter claimed, then PostgreSQL stopped for {down.TotalSeconds:0.0} s and the claiming instance killed (lease {Lease.TotalSeconds:0} s):");
        _output.WriteLine($"  instance restarted under its name: sent {lateByRestart.TotalSeconds:0.0} s late, {(byRestart.SentAt.Value - back).TotalSeconds:0.0} s after PostgreSQL was back (taken back at its start)");
        _output.WriteLine($"  instance gone for good:            sent {lateByLease.TotalSeconds:0.0} s late, {(byLease.SentAt.Value - back).TotalSeconds:0.0} s after PostgreSQL was back (the lease, honoured for one lease after the outage)");
        _output.WriteLine($"  with the default 2 min lease the second is about {(lateByLease - Lease + TimeSpan.FromMinutes(2)).TotalSeconds:0} s");

        // Exactly once each: the killed calls never reached the mailer's answer, the retries did.
        Upstreams.SenderDelivered.Count.ShouldBe(2);
        Upstreams.SenderDelivered.Select(c => c.Args.GetProperty("new_balance").ToString()).Order().ShouldBe(["111", "222"]);
        byRestart.Timeline.ShouldContain(
            t => t.Type == TimelineEntryType.LeaseExpired && t.Detail!.Contains("taken back at the restart of crash-restarted", StringComparison.Ordinal),
            $"the restarted instance's log:\n{again!.Log()}");
        byLease.Timeline.ShouldContain(t => t.Type == TimelineEntryType.LeaseExpired && t.Detail!.Contains("did not finish in time", StringComparison.Ordinal));
        byRestart.SentAt.Value.ShouldBeLessThan(back + Lease, "a restart under the same name does not wait for the lease");
        byLease.Timeline.Where(t => t.Type == TimelineEntryType.LeaseExpired).Min(t => t.At)
            .ShouldBeGreaterThanOrEqualTo(back + Lease, "a claim whose instance did not come back is honoured for one lease after the outage");
    }

    private async Task<DateTimeOffset> PostgresStartedAtAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Env.PostgresConnectionString);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT pg_postmaster_start_time()", connection);
        return new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await query.ExecuteScalarAsync())!, DateTimeKind.Utc));
    }

    /// <summary>An operator's send of a balance letter due now, through <paramref name="service"/> (so that instance claims it).</summary>
    private static async Task<long> SendNowAsync(ServiceProcess service, string newBalance)
    {
        using var response = await service.Client.PostAsJsonAsync("/api/v1/clients/client-42/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "contract-7",
            args = new { old_balance = "150", new_balance = newBalance, currency = "RUB" },
        });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
    }
}
