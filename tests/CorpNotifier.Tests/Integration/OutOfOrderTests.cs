using CorpNotifier.Contracts;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// Events of different types travel on different queues, so a cancellation can be processed before
/// the letter it cancels is created. The letter is then created already dequeued, never sent.
/// </summary>
public sealed class OutOfOrderTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task An_order_processed_before_the_acceptance_that_happened_earlier_still_cancels_the_take_a_ride_letters()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));
        var acceptance = _host.Events.Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Prepaid, OfferAccepted = true, Services = ["taxi"] });
        var order = _host.Events.Order("client-1") with { OccurredAt = acceptance.OccurredAt.AddMinutes(1) };

        await _host.PostAndWaitAsync(order);
        await _host.PostAndWaitAsync(acceptance);

        var notices = await _host.NoticesAsync("client-1");
        notices.Select(n => n.Kind).ShouldBe(["PrepaidFirstTakeARideNotice", "PrepaidSecondTakeARideNotice"], ignoreOrder: true);
        notices.ShouldAllBe(n => n.Status == NoticeStatus.Dequeued && n.DequeuedByEventId == order.EventId);

        _host.Clock.Advance(TimeSpan.FromDays(8));
        await _host.WaitForSweepsAsync();
        (await _host.NoticesAsync("client-1")).ShouldAllBe(n => n.Status == NoticeStatus.Dequeued);
        _host.Letters().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unblock_processed_before_the_limit_is_over_that_happened_earlier_cancels_the_reminder()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));
        var state = new ContractState { PaymentType = PaymentTypes.Prepaid, Services = ["taxi"], LowBalanceThreshold = 100, DeactivateThreshold = 25 };
        await _host.PostAndWaitAsync(_host.Events.Contract("client-1", state, state, "contract-1"));
        var down = _host.Events.Balance("client-1", 150, 5, "contract-1");
        var up = _host.Events.Balance("client-1", 5, 150, "contract-1") with { OccurredAt = down.OccurredAt.AddSeconds(30) };

        await _host.PostAndWaitAsync(up);
        await _host.PostAndWaitAsync(down);

        var remind = (await _host.NoticesAsync("client-1")).Single(n => n.Kind == "LimitIsOverRemindNotice");
        remind.Status.ShouldBe(NoticeStatus.Dequeued);
        remind.DequeuedByEventId.ShouldBe(up.EventId);
    }

    [Fact]
    public async Task A_cancellation_that_happened_before_the_letter_does_not_touch_it()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));
        var order = _host.Events.Order("client-1");
        var acceptance = _host.Events.Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Prepaid, OfferAccepted = true, Services = ["taxi"] }) with { OccurredAt = order.OccurredAt.AddMinutes(1) };

        await _host.PostAndWaitAsync(order);
        await _host.PostAndWaitAsync(acceptance);

        (await _host.NoticesAsync("client-1")).ShouldAllBe(n => n.Status == NoticeStatus.Pending);
    }
}
