using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The fault suite: a load of a couple of thousand events with letters due during the run, while
/// the service is killed, the broker or the database restarts, the Sender is down, or three
/// instances share the work. Each test prints its figures and fails on any loss or duplicate
/// (a kill may repeat only letters caught in the documented crash window).
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class FaultTests(ITestOutputHelper output) : SystemTest
{
    private readonly Figures _output = new(output, nameof(FaultTests));

    private const int Clients = 40;
    private const int EventsPerClient = 50;

    [Fact]
    public async Task Killed_with_sigkill_three_times_under_load_and_restarted_it_loses_nothing()
    {
        await using var run = await StartLoadAsync(seed: 7);
        var (service, load, publishing) = (run.Service, run.Load, run.Publishing);

        var inFlight = 0;
        for (var kill = 1; kill <= 3; kill++)
        {
            await WaitForProcessedAsync(Clients * EventsPerClient * kill / 4);
            service.Kill();
            var statuses = await Env.StatusCountsAsync();
            inFlight += statuses.GetValueOrDefault(NoticeStatus.Sending);
            service = await StartServiceAsync(FaultLoad.Settings(), name: $"instance-{kill}");
        }

        await publishing;
        var figures = await load.SettleAsync(Upstreams, Env, TimeSpan.FromMinutes(3), Logs);
        figures.Print(_output, "SIGKILL three times under load, restarted each time", $"letters claimed (in flight) at the kills: {inFlight}");
        figures.ShouldHold(allowedDuplicates: inFlight);
    }

    [Fact]
    public async Task A_rabbitmq_restart_under_load_loses_nothing_and_repeats_nothing()
    {
        await using var run = await StartLoadAsync(seed: 11);
        var (service, load, publishing) = (run.Service, run.Load, run.Publishing);

        await WaitForProcessedAsync(Clients * EventsPerClient / 3);
        try
        {
            await Servers.StopRabbitMqAsync();
            await Eventually.MatchAsync(service.IsReadyAsync, ready => !ready, "the service to notice the broker is gone", diagnostics: Logs);
        }
        finally
        {
            await Servers.StartRabbitMqAsync();
        }

        await publishing;
        var figures = await load.SettleAsync(Upstreams, Env, TimeSpan.FromMinutes(3), Logs);
        figures.Print(_output, "RabbitMQ restarted under load");
        figures.ShouldHold();
    }

    [Fact]
    public async Task A_brief_postgresql_restart_under_load_loses_nothing_and_repeats_nothing()
    {
        await using var run = await StartLoadAsync(seed: 13);
        var (service, load, publishing) = (run.Service, run.Load, run.Publishing);

        await WaitForProcessedAsync(Clients * EventsPerClient / 3);
        try
        {
            await Servers.StopPostgresAsync();
        }
        finally
        {
            await Servers.StartPostgresAsync();
        }

        await publishing;
        var figures = await load.SettleAsync(Upstreams, Env, TimeSpan.FromMinutes(3), Logs);
        figures.Print(_output, "PostgreSQL restarted (stop -m fast, start) under load");
        figures.ShouldHold();
        await ShouldHaveEmptyErrorQueuesAsync();
    }

    [Fact]
    public async Task A_postgresql_outage_longer_than_the_retry_budget_under_load_moves_nothing_to_an_error_queue()
    {
        var settings = FaultLoad.Settings();
        settings["Messaging:RetryLimit"] = "4"; // a budget of about a second, against an outage of several
        settings["Messaging:RetryMinInterval"] = "00:00:00.050";
        settings["Messaging:RetryMaxInterval"] = "00:00:00.200";
        settings["Messaging:RetryIntervalDelta"] = "00:00:00.050";
        await using var run = await StartLoadAsync(seed: 17, settings);
        var (service, load, publishing) = (run.Service, run.Load, run.Publishing);

        await WaitForProcessedAsync(Clients * EventsPerClient / 3);
        var attemptsBefore = DatabaseAttempts(service);
        var outage = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Servers.StopPostgresAsync();
            await Eventually.MatchAsync(() => Task.FromResult(DatabaseAttempts(service) - attemptsBefore), n => n >= 5, "five failed attempts to reach the database (longer than the retry budget)", TimeSpan.FromSeconds(90), Logs);
            await ShouldHaveEmptyErrorQueuesAsync();
        }
        finally
        {
            await Servers.StartPostgresAsync();
        }

        var down = outage.Elapsed;
        await publishing;
        var figures = await load.SettleAsync(Upstreams, Env, TimeSpan.FromMinutes(3), Logs);
        figures.Print(_output, "PostgreSQL down under load, longer than the in-process retry budget", $"outage {down.TotalSeconds:0.0} s against a retry budget of about 1 s; error queues empty");
        figures.ShouldHold();
        await ShouldHaveEmptyErrorQueuesAsync();
    }

    [Fact]
    public async Task The_sender_down_for_20_seconds_under_load_delays_letters_and_loses_none()
    {
        await using var run = await StartLoadAsync(seed: 19);
        var (service, load, publishing) = (run.Service, run.Load, run.Publishing);

        await WaitForProcessedAsync(Clients * EventsPerClient / 3);
        var back = DateTimeOffset.UtcNow.AddSeconds(20);
        Upstreams.SenderDownUntil = back;
        await Eventually.MatchAsync(
            () => Task.FromResult((Upstreams.SenderRefusedWhileDown, DateTimeOffset.UtcNow > back)),
            state => state.Item2 && state.SenderRefusedWhileDown > 0,
            "the Sender's 20 s outage to pass, having refused letters",
            TimeSpan.FromSeconds(60),
            Logs);

        await publishing;
        var figures = await load.SettleAsync(Upstreams, Env, TimeSpan.FromMinutes(3), Logs);
        var retried = (await Env.NoticesAsync()).Count(n => n.Attempts > 1);
        figures.Print(_output, "the Sender answered 503 for 20 s under load", $"calls refused while down {Upstreams.SenderRefusedWhileDown}; letters that needed more than one attempt {retried}");
        figures.ShouldHold();
        retried.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Three_instances_share_the_load_and_send_every_letter_once()
    {
        var load = new FaultLoad(Clients, EventsPerClient, seed: 23);
        var a = await StartServiceAsync(FaultLoad.Settings(), name: "instance-a");
        await StartServiceAsync(FaultLoad.Settings(), name: "instance-b");
        await StartServiceAsync(FaultLoad.Settings(), name: "instance-c");
        await load.SeedAsync(a, Env, Logs);
        await using var producer = await ProducerAsync();

        await load.PublishAllAsync(producer.GetRequiredService<IBus>(), CancellationToken.None);
        var figures = await load.SettleAsync(Upstreams, Env, TimeSpan.FromMinutes(3), Logs);
        var byInstance = (await Env.NoticesAsync())
            .SelectMany(n => n.Timeline.Where(t => t.Type == TimelineEntryType.Claimed).Select(t => t.Actor))
            .GroupBy(actor => actor)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()}");
        figures.Print(_output, "three instances at once", $"claims by instance: {string.Join(", ", byInstance)}");
        figures.ShouldHold();
    }

    [Fact]
    public async Task An_operator_cancel_racing_the_dispatch_of_the_same_letter_ends_sent_or_dequeued_never_both()
    {
        const int Letters = 60;
        var service = await StartServiceAsync(new Dictionary<string, string> { ["Dispatch:Interval"] = "00:00:00.100" });
        await SeedClientAsync(service);
        using var operatorClient = service.ClientAs(Auth.Roles.Operator);
        var due = DateTimeOffset.UtcNow.AddSeconds(6);
        var ids = await Task.WhenAll(Enumerable.Range(0, Letters).Select(async i =>
        {
            using var response = await operatorClient.PostAsJsonAsync("/api/v1/clients/client-42/notices", new
            {
                kind = "LowBalanceNotice",
                contractId = "contract-7",
                args = new { old_balance = "150", new_balance = $"race-{i}", currency = "RUB" },
                sendAt = due,
            });
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }));
        DateTimeOffset.UtcNow.ShouldBeLessThan(due, "the letters were created after their send_at; the race did not happen");

        // The cancels go out across the moment the letters fall due: 20 ms apart, from 0.4 s before.
        var cancels = await Task.WhenAll(ids.Select(async (id, i) =>
        {
            var at = due.AddMilliseconds(-400 + (20 * i));
            await Eventually.MatchAsync(() => Task.FromResult(DateTimeOffset.UtcNow), now => now >= at, "the cancel's moment", TimeSpan.FromSeconds(30));
            using var response = await operatorClient.DeleteAsync($"/api/v1/notices/{id}");
            return (Id: id, response.StatusCode);
        }));
        var notices = await WaitForNoticesAsync(n => n.Where(x => ids.Contains(x.Id)).All(x => x.Status is NoticeStatus.Sent or NoticeStatus.Dequeued), "every raced letter to end sent or dequeued");

        var calls = Upstreams.SenderDelivered.Select(c => c.Args.GetProperty("new_balance").GetString()).ToList();
        var cancelled = 0;
        var sent = 0;
        foreach (var (id, status) in cancels)
        {
            var notice = notices.Single(n => n.Id == id);
            var index = Array.IndexOf(ids, id);
            var mailed = calls.Count(c => c == $"race-{index}");
            var timeline = notice.Timeline.Select(t => t.Type).ToList();
            if (status == HttpStatusCode.OK)
            {
                cancelled++;
                notice.Status.ShouldBe(NoticeStatus.Dequeued, $"letter {id} was cancelled (200)");
                mailed.ShouldBe(0, $"letter {id} was cancelled but reached the Sender");
                timeline.ShouldContain(TimelineEntryType.Dequeued);
                timeline.ShouldNotContain(TimelineEntryType.Sent);
            }
            else
            {
                sent++;
                status.ShouldBe(HttpStatusCode.Conflict, $"letter {id}");
                notice.Status.ShouldBe(NoticeStatus.Sent, $"letter {id}: the cancel was refused");
                mailed.ShouldBe(1, $"letter {id} was sent");
                timeline.ShouldContain(TimelineEntryType.Sent);
                timeline.ShouldNotContain(TimelineEntryType.Dequeued);
            }
        }

        _output.WriteLine($"fault: operator cancels racing the dispatch of {Letters} letters due at one moment");
        _output.WriteLine($"  cancelled (200, dequeued, never mailed) {cancelled}; too late (409, sent once) {sent}; both 0");
    }

    /// <summary>A service on the fault settings, its clients seeded, and the load being published by a C# producer.</summary>
    private async Task<LoadRun> StartLoadAsync(int seed, Dictionary<string, string>? settings = null)
    {
        var load = new FaultLoad(Clients, EventsPerClient, seed);
        var service = await StartServiceAsync(settings ?? FaultLoad.Settings(), name: "instance-0");
        await load.SeedAsync(service, Env, Logs);
        var producer = await ProducerAsync();
        return new LoadRun(service, load, load.PublishAllAsync(producer.GetRequiredService<IBus>(), CancellationToken.None), producer);
    }

    private async Task WaitForProcessedAsync(int count) =>
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count(e => e.Type == "BalanceChanged");
            },
            n => n >= count,
            $"{count} balance events to be processed",
            TimeSpan.FromSeconds(120),
            Logs);

    private async Task ShouldHaveEmptyErrorQueuesAsync()
    {
        foreach (var queue in CorpNotifier.Operations.ServiceQueues.ErrorQueues("corp-notifier"))
        {
            (await Env.QueueDepthAsync(queue)).ShouldBe(0, queue);
        }
    }

    private static int DatabaseAttempts(ServiceProcess service) =>
        service.Output.Count(l => l.Contains("Database attempt", StringComparison.Ordinal));
}

/// <summary>A load being published to a running service; disposing it stops the producer.</summary>
internal sealed record LoadRun(ServiceProcess Service, FaultLoad Load, Task Publishing, ServiceProvider Producer) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Producer.DisposeAsync();
}
