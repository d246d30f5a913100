using CorpNotifier.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.SystemTests;

/// <summary>Sequences of events as producers send them, on real PostgreSQL and RabbitMQ.</summary>
public sealed class ScenarioTests : SystemTest
{
    private static readonly string[] Reminders = ["FirstRemindPrepaidNotice", "SecondRemindPrepaidNotice", "ThirdRemindOfferNotice"];
    private static readonly string[] PrepaidRides = ["PrepaidFirstTakeARideNotice", "PrepaidSecondTakeARideNotice"];

    [Fact]
    public async Task Prepaid_offer_reminders_give_way_to_take_a_ride_letters_which_an_order_cancels()
    {
        var service = await StartServiceAsync();
        await ProfileAsync(service);

        await PostAndWaitAsync(service, Contract(null, Prepaid(accepted: false)));
        var notices = await WaitForNoticesAsync(n => n.Count == 3, "three reminders");
        notices.Select(n => n.Kind).ShouldBe(Reminders, ignoreOrder: true);
        notices.ShouldAllBe(n => n.Status == NoticeStatus.Pending);

        var accepted = Contract(Prepaid(accepted: false), Prepaid(accepted: true));
        await PostAndWaitAsync(service, accepted);
        notices = await WaitForNoticesAsync(n => n.Count == 5, "the take-a-ride letters");
        notices.Where(n => Reminders.Contains(n.Kind)).ShouldAllBe(n => n.Status == NoticeStatus.Dequeued && n.DequeuedByEventId == accepted.EventId);
        notices.Where(n => PrepaidRides.Contains(n.Kind)).Select(n => n.Status).ShouldBe([NoticeStatus.Pending, NoticeStatus.Pending]);

        var order = Order();
        await PostAndWaitAsync(service, order);
        notices = await Env.NoticesAsync();
        notices.Where(n => PrepaidRides.Contains(n.Kind)).ShouldAllBe(n => n.Status == NoticeStatus.Dequeued && n.DequeuedByEventId == order.EventId);
        Upstreams.SenderCalls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_contract_already_accepted_gets_take_a_ride_letters_only()
    {
        var service = await StartServiceAsync();
        await ProfileAsync(service);

        await PostAndWaitAsync(service, Contract(null, Prepaid(accepted: true)));

        (await Env.NoticesAsync()).Select(n => n.Kind).ShouldBe(PrepaidRides, ignoreOrder: true);
    }

    [Fact]
    public async Task An_activated_postpaid_contract_gets_its_activation_letter_now_and_take_a_ride_letters_later()
    {
        var service = await StartServiceAsync();
        await ProfileAsync(service);

        var activation = Contract(Postpaid(active: false), Postpaid(active: true));
        await PostAndWaitAsync(service, activation);

        var notices = await WaitForNoticesAsync(n => n.Any(x => x.Kind == "ActivateClientNotice" && x.Status == NoticeStatus.Sent), "the activation letter");
        notices.Where(n => n.Kind != "ActivateClientNotice").Select(n => (n.Kind, n.Status)).ShouldBe(
            [("PostpaidFirstTakeARideNotice", NoticeStatus.Pending), ("PostpaidSecondTakeARideNotice", NoticeStatus.Pending)], ignoreOrder: true);
        var first = notices.Single(n => n.Kind == "PostpaidFirstTakeARideNotice");
        // The delay counts from the event's moment (PostgreSQL keeps microseconds).
        (first.SendAt - activation.OccurredAt.AddDays(3)).Duration().ShouldBeLessThan(TimeSpan.FromMilliseconds(1));
        Upstreams.SenderCalls.ShouldHaveSingleItem().Slug.ShouldBe("activate-client");
    }

    [Fact]
    public async Task A_contract_resynced_with_no_change_does_nothing()
    {
        var service = await StartServiceAsync();
        await ProfileAsync(service);

        await PostAndWaitAsync(service, Contract(Prepaid(accepted: false), Prepaid(accepted: false)));
        await PostAndWaitAsync(service, Contract(Postpaid(active: true), Postpaid(active: true)));

        (await Env.NoticesAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_balance_going_150_to_5_to_150_sends_limit_is_over_dequeues_the_reminder_and_sends_the_unblock()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);

        await PostAndWaitAsync(service, Events.Balance("client-42", 150, 5));
        var unblock = Events.Balance("client-42", 5, 150);
        await PostAndWaitAsync(service, unblock);

        var notices = await WaitForNoticesAsync(n => n.Count == 3 && n.Count(x => x.Status == NoticeStatus.Sent) == 2, "both letters sent");
        notices.Single(n => n.Kind == "LimitIsOverRemindNotice").DequeuedByEventId.ShouldBe(unblock.EventId);
        Upstreams.SenderCalls.Select(c => c.Slug).ShouldBe(["limit-is-over", "financial-unblock"], ignoreOrder: true);
        notices.ShouldNotContain(n => n.Kind == "LowBalanceNotice");
    }

    [Fact]
    public async Task Two_activations_of_one_contract_at_the_same_time_give_one_activation_letter()
    {
        await StartServiceAsync(name: "instance-a");
        var b = await StartServiceAsync(name: "instance-b");
        await ProfileAsync(b);

        // Two different events (two producers' views of the same activation), published at once.
        var activations = Enumerable.Range(0, 4).Select(_ => Contract(Postpaid(active: false), Postpaid(active: true))).ToList();
        await using (var producer = await ProducerAsync())
        {
            var bus = producer.GetRequiredService<IBus>();
            await Task.WhenAll(activations.Select(a => bus.Publish(a)));
        }

        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count(e => e.Type == "ContractChanged");
            },
            count => count == activations.Count,
            "every activation event to be processed",
            diagnostics: Logs);
        var notices = await WaitForNoticesAsync(n => n.Any(x => x.Kind == "ActivateClientNotice" && x.Status == NoticeStatus.Sent), "the activation letter");
        notices.Count(n => n.Kind == "ActivateClientNotice").ShouldBe(1);
        Upstreams.SenderCalls.Count(c => c.Slug == "activate-client").ShouldBe(1);
    }

    [Fact]
    public async Task Cancellations_that_overtake_the_letters_they_cancel_still_cancel_them()
    {
        var a = await StartServiceAsync(name: "instance-a");
        await StartServiceAsync(name: "instance-b");
        var clients = Enumerable.Range(0, 20).Select(i => $"client-{i:D2}").ToList();
        foreach (var client in clients)
        {
            await PostAsync(a, Events.Profile(client, [$"{client}@clients.example"]));
            await PostAsync(a, Events.ContractResync(client, $"contract-{client}"));
        }

        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count();
            },
            count => count == clients.Count * 2,
            "profiles and contracts",
            diagnostics: Logs);

        // For every client, the unblock (later) and the limit-is-over (earlier) at the same moment, in random order.
        var random = new Random(7);
        var pairs = clients.Select(c =>
        {
            var down = Events.Balance(c, 150, 5, contractId: $"contract-{c}");
            var up = Events.Balance(c, 5, 150, contractId: $"contract-{c}") with { OccurredAt = down.OccurredAt.AddSeconds(1) };
            return random.Next(2) == 0 ? new IEvent[] { down, up } : [up, down];
        }).ToList();
        await using (var producer = await ProducerAsync())
        {
            var bus = producer.GetRequiredService<IBus>();
            await Task.WhenAll(pairs.SelectMany(p => p).Select(e => bus.Publish((BalanceChanged)e)));
        }

        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count(e => e.Type == nameof(BalanceChanged));
            },
            count => count == clients.Count * 2,
            "every balance event to be processed",
            TimeSpan.FromSeconds(90),
            Logs);
        var notices = await WaitForNoticesAsync(n => n.Count(x => x.Kind == "FinancialUnblockNotice") == clients.Count, "every client's unblock");
        notices.Where(n => n.Kind == "LimitIsOverRemindNotice").Select(n => n.Status).ShouldBe(Enumerable.Repeat(NoticeStatus.Dequeued, clients.Count));
    }

    private async Task ProfileAsync(ServiceProcess service) =>
        await PostAndWaitAsync(service, Events.Profile("client-42", ["billing@acme.example"]));

    private async Task PostAndWaitAsync(ServiceProcess service, IEvent evt)
    {
        await PostAsync(service, evt);
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Any(e => e.EventId == evt.EventId);
            },
            seen => seen,
            $"event {evt.EventId} to be processed",
            diagnostics: Logs);
    }

    private static ContractChanged Contract(ContractState? from, ContractState to) => Events.Contract("client-42", from, to);

    private static OrderCompleted Order() => Events.Order("client-42", "order-1");

    private static ContractState Prepaid(bool accepted) => new()
    {
        PaymentType = PaymentTypes.Prepaid,
        IsOffer = true,
        OfferAccepted = accepted,
        Services = ["taxi"],
    };

    private static ContractState Postpaid(bool active) => new()
    {
        PaymentType = PaymentTypes.Postpaid,
        IsActive = active,
        OfferAccepted = true,
        Services = ["taxi"],
    };
}
