
namespace CorpNotifier.SystemTests;

/// <summary>Delayed letters and cancellations on the real broker and database, in real time.</summary>
[Collection(AloneCollection.Name)]
public sealed class SchedulingTests : SystemTest
{
    [Fact]
    public async Task A_delayed_letter_is_not_sent_before_its_send_at_and_is_sent_soon_after_it()
    {
        var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["Notices:LimitIsOverRemindNotice:Offset"] = "00:00:04",
        });
        await SeedClientAsync(service);

        var balance = Events.Balance("client-42", 150, 5);
        await PostAsync(service, balance);

        var notices = await WaitForNoticesAsync(n => n.Count == 2 && n.Any(x => x.Status == NoticeStatus.Sent), "limit-is-over to be sent");
        var remind = notices.Single(n => n.Kind == "LimitIsOverRemindNotice");
        // The delay counts from the event's moment (PostgreSQL keeps microseconds).
        (remind.SendAt - balance.OccurredAt.AddSeconds(4)).Duration().ShouldBeLessThan(TimeSpan.FromMilliseconds(1));
        if (DateTimeOffset.UtcNow < remind.SendAt - TimeSpan.FromSeconds(1))
        {
            remind.Status.ShouldBe(NoticeStatus.Pending);
        }

        remind = (await WaitForNoticesAsync(n => n.Single(x => x.Id == remind.Id).Status == NoticeStatus.Sent, "the reminder to be sent", TimeSpan.FromSeconds(20)))
            .Single(x => x.Id == remind.Id);
        remind.SentAt!.Value.ShouldBeGreaterThanOrEqualTo(remind.SendAt);
        // No later than send_at plus the dispatch interval (250 ms) plus processing.
        (remind.SentAt.Value - remind.SendAt).ShouldBeLessThan(TimeSpan.FromSeconds(3));

        remind.Timeline.Where(t => t.Type == TimelineEntryType.Claimed).ShouldAllBe(t => t.At >= remind.SendAt);
        var call = Upstreams.SenderCalls.Single(c => c.Slug == "limit-is-over-remind");
        call.ReceivedAt.ShouldBeGreaterThanOrEqualTo(remind.SendAt);
    }

    [Fact]
    public async Task Financial_unblock_dequeues_the_pending_reminder_which_is_never_sent()
    {
        var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["Notices:LimitIsOverRemindNotice:Offset"] = "00:00:03",
        });
        await SeedClientAsync(service);
        var limitIsOver = Events.Balance("client-42", 150, 5);
        var unblock = Events.Balance("client-42", 5, 150);

        await PostAsync(service, limitIsOver);
        await WaitForNoticesAsync(n => n.Count == 2, "limit-is-over and its reminder");
        await PostAsync(service, unblock);

        var notices = await WaitForNoticesAsync(n => n.Count == 3 && n.Single(x => x.Kind == "FinancialUnblockNotice").Status == NoticeStatus.Sent, "the unblock letter");
        var remind = notices.Single(n => n.Kind == "LimitIsOverRemindNotice");
        remind.Status.ShouldBe(NoticeStatus.Dequeued);
        remind.DequeuedByEventId.ShouldBe(unblock.EventId);
        remind.Timeline.ShouldContain(t => t.Type == TimelineEntryType.Dequeued && t.Actor == unblock.EventId);

        await SweptPastAsync(service, remind.SendAt);
        (await Env.NoticesAsync()).Single(n => n.Id == remind.Id).Status.ShouldBe(NoticeStatus.Dequeued);
        Upstreams.SenderCalls.Select(c => c.Slug).ShouldBe(["limit-is-over", "financial-unblock", "low-balance"], ignoreOrder: true);
    }
}
