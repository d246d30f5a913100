using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Invariant 1: an event the broker confirmed, or that got a 202, is processed however the
/// process, the broker or the database restarts. These tests restart the real servers.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class RestartTests : SystemTest
{
    [Fact]
    public async Task Events_confirmed_while_no_instance_runs_survive_a_broker_restart_and_are_processed_at_the_next_start()
    {
        // The first start declares the queues; then the service stops.
        var first = await StartServiceAsync(name: "instance-a");
        await SeedClientAsync(first);
        first.Kill();

        var events = Enumerable.Range(0, 5).Select(i => Events.Balance("client-42", 150, 50 + i)).ToList();
        await using (var producer = await ProducerAsync())
        {
            foreach (var evt in events)
            {
                await producer.GetRequiredService<IBus>().Publish(evt); // returns once the broker confirmed
            }
        }

        try
        {
            await Servers.StopRabbitMqAsync();
        }
        finally
        {
            await Servers.StartRabbitMqAsync();
        }

        await StartServiceAsync(name: "instance-b");
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count(e => e.Type == "BalanceChanged");
            },
            count => count == events.Count,
            "every confirmed event to be processed after the restarts",
            TimeSpan.FromSeconds(60),
            Logs);
        await WaitUntilSentAsync(5, "their five letters", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Events_accepted_while_the_database_is_down_are_processed_once_it_is_back()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);

        await Servers.StopPostgresAsync();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                using var response = await service.Client.PostAsJsonAsync("/api/v1/events", Wire(Events.Balance("client-42", 150, 50 + i)));
                response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted); // the broker has it
            }

            // The service found the database gone while trying to process them.
            await Eventually.MatchAsync(() => service.ReadinessAsync(), r => r.Contains("\"database\":{\"status\":\"Unhealthy\"", StringComparison.Ordinal), "readiness to report the database down", diagnostics: Logs);
        }
        finally
        {
            await Servers.StartPostgresAsync();
        }

        var notices = await WaitUntilSentAsync(3, "the three letters once the database is back", TimeSpan.FromSeconds(90));
        notices.Count(n => n.Kind == "LowBalanceNotice" && n.Status == NoticeStatus.Sent).ShouldBe(3);
        (await Env.QueueDepthAsync("corp-notifier-balance-changed_error")).ShouldBe(0);
    }
}
