namespace CorpNotifier.SystemTests;

/// <summary>
/// A frequency cap holds across instances on real PostgreSQL and RabbitMQ: the count and the new
/// letter are decided under the client's lock, so two instances never both find room.
/// </summary>
public sealed class FrequencyCapTests : SystemTest
{
    [Fact]
    public async Task Ten_low_balance_crossings_sent_to_two_instances_at_once_make_one_letter_and_nine_capped()
    {
        // The low-balance cap as the service ships it: one per contract a day.
        var cap = new Dictionary<string, string> { ["Notices:LowBalanceNotice:Cap:Enabled"] = "true" };
        var a = await StartServiceAsync(cap, name: "instance-a");
        var b = await StartServiceAsync(cap, name: "instance-b");
        await SeedClientAsync(a);

        // Down below the low-balance threshold (100) and back up, ten times, all at once, half to each instance.
        await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            PostAsync(i % 2 == 0 ? a : b, Events.Balance("client-42", 150, 50, eventId: $"down-{i}")),
            PostAsync(i % 2 == 0 ? b : a, Events.Balance("client-42", 50, 150, eventId: $"up-{i}")),
        }));

        var notices = await WaitForNoticesAsync(
            n => n.Count(x => x.Kind == "LowBalanceNotice" && x.Status is not (NoticeStatus.Pending or NoticeStatus.Sending)) == 10,
            "ten low-balance letters, done",
            TimeSpan.FromMinutes(2));
        var low = notices.Where(n => n.Kind == "LowBalanceNotice").ToList();
        var sent = low.Where(n => n.Status == NoticeStatus.Sent).ShouldHaveSingleItem(Logs());
        low.Where(n => n.Status == NoticeStatus.Rejected).ShouldAllBe(n => n.ReasonCode == "capped" && n.Reason!.EndsWith($"(notice {sent.Id})"));
        low.Count(n => n.Status == NoticeStatus.Rejected).ShouldBe(9);
        await Eventually.MatchAsync(
            () => Task.FromResult(Upstreams.SenderCalls.Count(c => c.ToEmail == "billing@acme.example")),
            calls => calls >= 1,
            "the one letter at the mailer");
        Upstreams.SenderCalls.Count(c => c.ToEmail == "billing@acme.example").ShouldBe(1);
    }
}
