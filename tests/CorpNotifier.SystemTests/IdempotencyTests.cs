using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.SystemTests;

/// <summary>The same event delivered twice at once acts once — over the bus and over HTTP, across two instances.</summary>
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
}
