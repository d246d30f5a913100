using System.Net;
using CorpNotifier.Contracts;

namespace CorpNotifier.Tests.Integration;

/// <summary>Event → notice → letter file, through the real host on its embedded default.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public async Task InitializeAsync()
    {
        (await _host.PostEventAsync(_host.Events.Profile("client-42", ["billing@acme.example"]))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _host.PostEventAsync(_host.Events.ContractResync("client-42"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Eventually.MatchAsync(() => _host.WithDbAsync(db => Task.FromResult(db.Events.Count())), n => n == 2, "the profile and the contract to be processed");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_low_balance_event_becomes_a_sent_letter_written_to_the_letters_folder()
    {
        (await _host.PostEventAsync(_host.Events.Balance("client-42", 150, 50, eventId: "balance-1"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var notices = await Eventually.MatchAsync(() => _host.NoticesAsync("client-42"), n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "the letter to be sent");
        var notice = notices[0];
        notice.Kind.ShouldBe("LowBalanceNotice");
        notice.SentSlug.ShouldBe("low-balance");
        notice.SentTo.ShouldBe(["billing@acme.example"]);
        notice.SentAt!.Value.ShouldBeGreaterThanOrEqualTo(notice.SendAt);

        var letter = _host.Letters().ShouldHaveSingleItem();
        var mime = await MimeKit.MimeMessage.LoadAsync(letter);
        mime.To.ToString().ShouldBe("billing@acme.example");
        mime.Subject.ShouldBe("Баланс по договору ДГ-7 скоро закончится");
        mime.TextBody!.ShouldContain("опустился до 50 RUB (было 150 RUB)");
    }

    [Fact]
    public async Task A_delayed_letter_waits_for_its_send_at_and_goes_out_once_the_clock_passes_it()
    {
        var balance = _host.Events.Balance("client-42", 150, 5, eventId: "balance-1");
        await _host.PostEventAsync(balance);
        var notices = await Eventually.MatchAsync(() => _host.NoticesAsync("client-42"), n => n.Count == 2 && n.Any(x => x.Status == NoticeStatus.Sent), "limit-is-over to be sent");
        var remind = notices.Single(n => n.Kind == "LimitIsOverRemindNotice");
        remind.Status.ShouldBe(NoticeStatus.Pending);
        remind.SendAt.ShouldBe(balance.OccurredAt.AddDays(3), "the delay counts from the event's moment");

        _host.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        await _host.WaitForSweepsAsync();
        (await _host.NoticesAsync("client-42")).Single(n => n.Id == remind.Id).Status.ShouldBe(NoticeStatus.Pending);

        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.MatchAsync(() => _host.NoticesAsync("client-42"), n => n.Single(x => x.Id == remind.Id).Status == NoticeStatus.Sent, "the reminder to be sent");
        _host.Letters().Length.ShouldBe(2);
    }

    [Fact]
    public async Task Financial_unblock_dequeues_the_pending_reminder_which_is_never_sent()
    {
        await _host.PostEventAsync(_host.Events.Balance("client-42", 150, 5, eventId: "balance-1"));
        await Eventually.MatchAsync(() => _host.NoticesAsync("client-42"), n => n.Count == 2, "limit-is-over and its reminder");
        await _host.PostEventAsync(_host.Events.Balance("client-42", 5, 150, eventId: "balance-2"));

        var notices = await Eventually.MatchAsync(() => _host.NoticesAsync("client-42"), n => n.Count == 3 && n.All(x => x.Status != NoticeStatus.Pending && x.Status != NoticeStatus.Sending), "unblock to be sent");
        var remind = notices.Single(n => n.Kind == "LimitIsOverRemindNotice");
        remind.Status.ShouldBe(NoticeStatus.Dequeued);
        remind.DequeuedByEventId.ShouldBe("balance-2");

        _host.Clock.Advance(TimeSpan.FromDays(4));
        await _host.WaitForSweepsAsync();
        (await _host.NoticesAsync("client-42")).Single(n => n.Id == remind.Id).Status.ShouldBe(NoticeStatus.Dequeued);
        _host.Letters().ShouldNotContain(f => f.Contains("LimitIsOverRemindNotice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_event_twice_creates_one_letter()
    {
        var balance = _host.Events.Balance("client-42", 150, 50, eventId: "balance-1");
        await _host.PostEventAsync(balance);
        // The repeat is delivered on the bus (a redelivery, a second publish): over HTTP, a repeat
        // of an event already processed is answered before it is published (EventConflictTests).
        await _host.Harness.Bus.Publish(balance);
        (await _host.Harness.Consumed.SelectAsync<BalanceChanged>().Take(2).CountAsync()).ShouldBe(2, "both deliveries consumed");
        await Eventually.MatchAsync(() => _host.NoticesAsync("client-42"), n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "one sent letter");
        _host.Letters().Length.ShouldBe(1);
        (await _host.WithDbAsync(db => Task.FromResult(db.Events.Count(e => e.EventId == "balance-1")))).ShouldBe(1);
    }
}
