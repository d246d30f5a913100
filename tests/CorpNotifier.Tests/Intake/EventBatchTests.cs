using System.Diagnostics;
using CorpNotifier.Contracts;
using CorpNotifier.Tests.Integration;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Tests.Intake;

/// <summary>
/// Events the consumers hold at once are processed in one batch, one transaction; a batch that
/// cannot be processed together (a poison event, a conflict, a repeat) is split, and each of its
/// events processed alone: the bad one faults on its own message, the others go through, once.
/// Every batch here waits up to a second for more events (<c>EventBatchWait=Always</c>) and one
/// worker gathers at a time, so events published together meet in one batch.
/// </summary>
public sealed class EventBatchTests : IAsyncLifetime
{
    private readonly TestHost _host = new(new Dictionary<string, string?>
    {
        ["Messaging:EventBatchTimeLimit"] = "00:00:01",
        ["Messaging:EventBatchWait"] = "Always",
        ["Messaging:EventBatchSize"] = "3",
        ["Logging:LogLevel:CorpNotifier.Intake.EventBatches"] = "Debug",
        // A poison event's retries, short: the test waits for its fault.
        ["Messaging:RetryLimit"] = "4",
        ["Messaging:RetryMinInterval"] = "00:00:00.010",
        ["Messaging:RetryMaxInterval"] = "00:00:00.050",
        ["Messaging:RetryIntervalDelta"] = "00:00:00.010",
    });

    public async Task InitializeAsync()
    {
        // Three at a time, so no batch waits its second for company; then the tests read only their own logs.
        string[] clients = ["client-1", "client-2", "client-3"];
        await PublishedTogetherAsync(clients.Select(client => (IEvent)_host.Events.Profile(client)).ToList());
        await PublishedTogetherAsync(clients.Select(client => (IEvent)_host.Events.ContractResync(client, contractId: $"contract-{client}")).ToList());
        _host.Logs.Entries.Clear();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Publishes three events together and waits until each was consumed without a fault, by one batch.</summary>
    private async Task PublishedTogetherAsync(IReadOnlyList<IEvent> batch)
    {
        await Task.WhenAll(batch.Select(evt => _host.Harness.Bus.Publish(evt, evt.GetType())));

        foreach (var evt in batch)
        {
            (await _host.ConsumedAsync(evt.EventId)).Exception.ShouldBeNull();
        }

        _host.Logs.Entries.ShouldContain(e => e.Message.Contains("Stored a batch of 3 events in one transaction", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_poison_event_in_a_batch_faults_alone_and_its_batch_mates_are_processed()
    {
        // The database refuses this one event's row, as a broken row would: nothing is stubbed.
        await _host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.event_id = 'balance-poison' BEGIN SELECT RAISE(ABORT, 'poison'); END;"));
        BalanceChanged[] batch =
        [
            _host.Events.Balance("client-1", 150, 50, contractId: "contract-client-1", eventId: "balance-1"),
            _host.Events.Balance("client-2", 150, 50, contractId: "contract-client-2", eventId: "balance-poison"),
            _host.Events.Balance("client-3", 150, 50, contractId: "contract-client-3", eventId: "balance-3"),
        ];

        await Task.WhenAll(batch.Select(evt => _host.Harness.Bus.Publish(evt)));

        var poison = await _host.ConsumedAsync("balance-poison");
        poison.Exception.ShouldNotBeNull();
        (await _host.Harness.Published.Any<Fault<BalanceChanged>>(m => m.Context.Message.Message.EventId == "balance-poison")).ShouldBeTrue();
        (await _host.ConsumedAsync("balance-1")).Exception.ShouldBeNull();
        (await _host.ConsumedAsync("balance-3")).Exception.ShouldBeNull();
        _host.Logs.Entries.ShouldContain(e => e.Message.StartsWith("A batch of 3 events could not be processed together", StringComparison.Ordinal));
        var stored = await _host.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.EventId.StartsWith("balance-")).Select(e => e.EventId).ToListAsync());
        stored.ShouldBe(["balance-1", "balance-3"], ignoreOrder: true);
        (await _host.NoticesAsync("client-1")).ShouldHaveSingleItem().Kind.ShouldBe("LowBalanceNotice");
        (await _host.NoticesAsync("client-2")).ShouldBeEmpty();
        (await _host.NoticesAsync("client-3")).ShouldHaveSingleItem().Kind.ShouldBe("LowBalanceNotice");
    }

    [Fact]
    public async Task An_event_id_already_stored_with_another_body_faults_as_a_conflict_alone_from_its_batch()
    {
        await _host.PostAndWaitAsync(_host.Events.Balance("client-2", 150, 50, contractId: "contract-client-2", eventId: "balance-2"));
        BalanceChanged[] batch =
        [
            _host.Events.Balance("client-1", 150, 50, contractId: "contract-client-1", eventId: "balance-1"),
            _host.Events.Balance("client-2", 150, 40, contractId: "contract-client-2", eventId: "balance-2"),
            _host.Events.Balance("client-3", 150, 50, contractId: "contract-client-3", eventId: "balance-3"),
        ];

        await Task.WhenAll(batch.Select(evt => _host.Harness.Bus.Publish(evt)));

        (await _host.Harness.Consumed.Any<BalanceChanged>(m => m.Context.Message.EventId == "balance-2" && m.Exception is not null)).ShouldBeTrue();
        _host.Harness.Consumed.Select<BalanceChanged>(m => m.Context.Message.EventId == "balance-2" && m.Exception is not null, TestHost.SeenSoFar)
            .Single().Exception.ShouldBeOfType<EventConflictException>();
        (await _host.ConsumedAsync("balance-1")).Exception.ShouldBeNull();
        (await _host.ConsumedAsync("balance-3")).Exception.ShouldBeNull();
        (await _host.NoticesAsync("client-1")).ShouldHaveSingleItem();
        (await _host.NoticesAsync("client-2")).ShouldHaveSingleItem();
        (await _host.NoticesAsync("client-3")).ShouldHaveSingleItem();
        var stored = await _host.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.EventId == "balance-2"));
        stored.Payload.ShouldContain("\"newBalance\":50");
    }

    [Fact]
    public async Task The_same_event_twice_in_one_batch_acts_once_and_neither_delivery_faults()
    {
        var balance = _host.Events.Balance("client-1", 150, 50, contractId: "contract-client-1", eventId: "balance-1");
        var other = _host.Events.Balance("client-3", 150, 50, contractId: "contract-client-3", eventId: "balance-3");

        await Task.WhenAll(_host.Harness.Bus.Publish(balance), _host.Harness.Bus.Publish(balance), _host.Harness.Bus.Publish(other));

        var deliveries = await Eventually.MatchAsync(
            () => Task.FromResult(_host.Harness.Consumed.Select<BalanceChanged>(m => m.Context.Message.EventId == "balance-1", TestHost.SeenSoFar).ToList()),
            seen => seen.Count == 2,
            "both deliveries of balance-1 consumed");
        deliveries.ShouldAllBe(m => m.Exception == null);
        (await _host.ConsumedAsync("balance-3")).Exception.ShouldBeNull();
        (await _host.NoticesAsync("client-1")).ShouldHaveSingleItem();
        (await _host.NoticesAsync("client-3")).ShouldHaveSingleItem();
        _host.Logs.Entries.ShouldNotContain(e => e.Level >= LogLevel.Warning && e.Message.Contains("balance-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_published_together_are_stored_by_one_batch()
    {
        var batch = Enumerable.Range(1, 3).Select(i => _host.Events.Balance($"client-{i}", 150, 50, contractId: $"contract-client-{i}", eventId: $"balance-{i}")).ToList();

        await PublishedTogetherAsync(batch);
        _host.Logs.Entries.ShouldNotContain(e => e.Message.Contains("could not be processed together", StringComparison.Ordinal));
        (await _host.WithDbAsync(db => db.Events.AsNoTracking().CountAsync(e => e.EventId.StartsWith("balance-")))).ShouldBe(3);
        var balances = await _host.WithDbAsync(db => db.Contracts.AsNoTracking().Where(c => c.ContractId.StartsWith("contract-client-")).Select(c => c.Balance).ToListAsync());
        balances.ShouldBe([50m, 50m, 50m]);
    }

    [Fact]
    public async Task A_letter_and_the_later_event_that_dequeues_it_in_one_batch_leave_the_letter_dequeued_whichever_is_applied_first()
    {
        var down = _host.Events.Balance("client-1", 150, 5, contractId: "contract-client-1", eventId: "balance-down");
        var up = _host.Events.Balance("client-1", 5, 150, contractId: "contract-client-1", eventId: "balance-up") with { OccurredAt = down.OccurredAt.AddSeconds(30) };
        var other = _host.Events.Balance("client-3", 150, 50, contractId: "contract-client-3", eventId: "balance-3");

        await Task.WhenAll(new IEvent[] { down, up, other }.Select(evt => _host.Harness.Bus.Publish(evt, evt.GetType())));

        foreach (var evt in new IEvent[] { down, up, other })
        {
            (await _host.ConsumedAsync(evt.EventId)).Exception.ShouldBeNull();
        }

        var notices = await _host.NoticesAsync("client-1");
        var remind = notices.Where(n => n.Kind == "LimitIsOverRemindNotice").ShouldHaveSingleItem();
        remind.Status.ShouldBe(NoticeStatus.Dequeued);
        remind.DequeuedByEventId.ShouldBe(up.EventId);
        notices.Select(n => n.Kind).ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice", "FinancialUnblockNotice"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_dequeue_stored_before_the_batch_dequeues_at_creation_the_letter_an_earlier_event_of_the_batch_makes()
    {
        var down = _host.Events.Balance("client-1", 150, 5, contractId: "contract-client-1", eventId: "balance-down");
        var up = _host.Events.Balance("client-1", 5, 150, contractId: "contract-client-1", eventId: "balance-up") with { OccurredAt = down.OccurredAt.AddSeconds(30) };
        await _host.PostAndWaitAsync(up);
        BalanceChanged[] batch =
        [
            down,
            _host.Events.Balance("client-2", 150, 50, contractId: "contract-client-2", eventId: "balance-2"),
            _host.Events.Balance("client-3", 150, 50, contractId: "contract-client-3", eventId: "balance-3"),
        ];

        await PublishedTogetherAsync(batch);
        var remind = (await _host.NoticesAsync("client-1")).Where(n => n.Kind == "LimitIsOverRemindNotice").ShouldHaveSingleItem();
        remind.Status.ShouldBe(NoticeStatus.Dequeued);
        remind.DequeuedByEventId.ShouldBe(up.EventId);
        (await _host.NoticesAsync("client-2")).ShouldHaveSingleItem().Status.ShouldNotBe(NoticeStatus.Dequeued);
    }

    [Fact]
    public async Task A_frequency_cap_counts_the_letters_of_its_batch_not_saved_yet()
    {
        // Two clients' events about one contract: two client locks, no save between them. The
        // low-balance letter's default cap is one per contract a day.
        BalanceChanged[] batch =
        [
            _host.Events.Balance("client-1", 150, 50, contractId: "contract-client-1", eventId: "balance-1"),
            _host.Events.Balance("client-2", 150, 50, contractId: "contract-client-1", eventId: "balance-2"),
            _host.Events.Balance("client-3", 150, 50, contractId: "contract-client-3", eventId: "balance-3"),
        ];

        await PublishedTogetherAsync(batch);
        var letters = await _host.WithDbAsync(db => db.Notices.AsNoTracking().Where(n => n.ContractId == "contract-client-1").ToListAsync());
        letters.Count.ShouldBe(2);
        letters.Count(n => n.Status == NoticeStatus.Rejected && n.ReasonCode == CorpNotifier.Rules.ReasonCodes.Capped).ShouldBe(1);
        letters.Count(n => n.Status != NoticeStatus.Rejected).ShouldBe(1);
        (await _host.NoticesAsync("client-3")).ShouldHaveSingleItem().Status.ShouldNotBe(NoticeStatus.Rejected);
    }
}

/// <summary>
/// By default (<c>EventBatchWait=WhileBusy</c>) a batch waits for company only while another batch
/// is in the database: events that come one at a time, each finding the database idle, are not held
/// back by the time limit.
/// </summary>
public sealed class EventBatchWaitTests : IAsyncLifetime
{
    private const int Events = 10;

    private readonly TestHost _host = new(new Dictionary<string, string?>
    {
        ["Messaging:EventBatchTimeLimit"] = "00:00:01",
        ["Logging:LogLevel:CorpNotifier.Intake.EventBatches"] = "Debug",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Events_that_find_the_database_idle_do_not_wait_for_batch_mates()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));
        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-1", contractId: "contract-1"));
        var started = Stopwatch.StartNew();

        for (var i = 0; i < Events; i++)
        {
            await _host.PostAndWaitAsync(_host.Events.Balance("client-1", 150 + i, 151 + i, contractId: "contract-1", eventId: $"balance-{i}"));
        }

        // Had each waited its time limit, the ten would have taken ten seconds at least.
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(Events / 2));
        _host.Logs.Entries.Count(e => e.Message.StartsWith("Stored a batch of 1 events", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(Events);
    }
}
