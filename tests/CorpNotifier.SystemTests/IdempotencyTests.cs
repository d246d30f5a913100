using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The same event delivered twice at once acts once — over the bus and over HTTP, across two
/// instances; an eventId reused for another body is refused with the differing fields, on the bus
/// into the queue's error queue.
/// </summary>
public sealed class IdempotencyTests : SystemTest
{
    [Fact]
    public async Task The_same_event_published_twice_concurrently_by_a_csharp_producer_gives_one_event_row_and_one_letter()
    {
        var a = await StartServiceAsync(name: "instance-a");
        await StartServiceAsync(name: "instance-b");
        await SeedClientAsync(a);
        var evt = Events.Balance("client-42", 150, 50);

        await using (var producer = await ProducerAsync())
        {
            var bus = producer.GetRequiredService<IBus>();
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => bus.Publish(evt)));
        }

        await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == Notices.NoticeStatus.Sent, "one letter");
        await Eventually.MatchAsync(() => Task.FromResult(Logs().Split("was seen before").Length - 1), n => n == 3, "the three repeats to be recognised", diagnostics: Logs);
        await using var db = Env.Db();
        db.Events.Count(e => e.EventId == evt.EventId).ShouldBe(1);
        Upstreams.SenderCalls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_same_event_posted_twice_concurrently_to_two_instances_gives_one_letter()
    {
        var a = await StartServiceAsync(name: "instance-a");
        var b = await StartServiceAsync(name: "instance-b");
        await SeedClientAsync(a);
        var wire = Wire(Events.Balance("client-42", 150, 5));

        var responses = await Task.WhenAll(
            a.Client.PostAsJsonAsync("/api/v1/events", wire),
            b.Client.PostAsJsonAsync("/api/v1/events", wire),
            a.Client.PostAsJsonAsync("/api/v1/events", wire),
            b.Client.PostAsJsonAsync("/api/v1/events", wire));
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted);

        var notices = await WaitForNoticesAsync(n => n.Count == 2 && n.Any(x => x.Status == Notices.NoticeStatus.Sent), "limit-is-over and its reminder");
        notices.Select(n => n.Kind).ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice"], ignoreOrder: true);
        await Eventually.MatchAsync(() => Task.FromResult(Logs().Split("was seen before").Length - 1), n => n == 3, "the three repeats to be recognised", diagnostics: Logs);
        (await Env.NoticesAsync()).Count.ShouldBe(2);
        Upstreams.SenderCalls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_event_id_reused_for_another_body_by_a_csharp_producer_lands_in_the_error_queue_with_the_reason()
    {
        const string errorQueue = "corp-notifier-balance-changed_error";
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        var evt = Events.Balance("client-42", 150, 50);

        await using (var producer = await ProducerAsync())
        {
            var bus = producer.GetRequiredService<IBus>();
            await bus.Publish(evt);
            await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == Notices.NoticeStatus.Sent, "the first event's letter");
            await bus.Publish(evt with { NewBalance = 60 });
        }

        await Eventually.MatchAsync(() => Env.QueueDepthAsync(errorQueue), depth => depth == 1, $"the reused id in {errorQueue}", diagnostics: Logs);
        var (exceptionType, reason) = await TakeFaultAsync(errorQueue);
        exceptionType.ShouldBe(typeof(EventConflictException).FullName);
        reason.ShouldContain($"Event {evt.EventId} (BalanceChanged) was received before with a different body");
        reason.ShouldContain("data.newBalance: 50 before, 60 now");

        Logs().ShouldContain($"Event {evt.EventId} (BalanceChanged) refused (bus): its eventId was received before with a different body; these fields differ: data.newBalance");
        await using var db = Env.Db();
        var stored = await db.Events.AsNoTracking().SingleAsync(e => e.EventId == evt.EventId);
        JsonDocument.Parse(stored.Payload).RootElement.GetProperty("data").GetProperty("newBalance").GetDecimal().ShouldBe(50m);
        (await Env.NoticesAsync()).Count.ShouldBe(1);
        Upstreams.SenderCalls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_event_id_reused_for_another_body_over_http_gets_409_with_the_differing_fields()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        var evt = Events.Balance("client-42", 150, 50);
        await PostAsync(service, evt);
        await WaitForNoticesAsync(n => n.Count == 1, "the first event's letter");

        using var again = await service.Client.PostAsJsonAsync("/api/v1/events", Wire(evt));
        using var changed = await service.Client.PostAsJsonAsync("/api/v1/events", Wire(evt with { NewBalance = 60 }));

        again.StatusCode.ShouldBe(HttpStatusCode.Accepted, await again.Content.ReadAsStringAsync());
        var body = await changed.Content.ReadAsStringAsync();
        changed.StatusCode.ShouldBe(HttpStatusCode.Conflict, body);
        using var problem = JsonDocument.Parse(body);
        var difference = problem.RootElement.GetProperty("differences").EnumerateArray().ShouldHaveSingleItem();
        difference.GetProperty("path").GetString().ShouldBe("data.newBalance");
        difference.GetProperty("stored").GetDecimal().ShouldBe(50m);
        difference.GetProperty("received").GetDecimal().ShouldBe(60m);
        (await Env.NoticesAsync()).Count.ShouldBe(1);
    }

    /// <summary>Takes the one message of an error queue: its fault's exception type and reason.</summary>
    private async Task<(string ExceptionType, string Reason)> TakeFaultAsync(string queue)
    {
        await using var connection = await new ConnectionFactory
        {
            HostName = SystemEnvironment.RabbitHost,
            Port = SystemEnvironment.RabbitPort,
            VirtualHost = Env.VirtualHost,
            UserName = SystemEnvironment.RabbitUser,
            Password = SystemEnvironment.RabbitPassword,
        }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var message = (await channel.BasicGetAsync(queue, autoAck: true)).ShouldNotBeNull();
        var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
        return (Header(headers, "MT-Fault-ExceptionType"), Header(headers, "MT-Fault-Message"));
    }

    private static string Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? "";
}
