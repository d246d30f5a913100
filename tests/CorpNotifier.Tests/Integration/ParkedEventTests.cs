using CorpNotifier.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// An event whose client profile or contract is not known once its in-process waits are over is
/// parked, not dropped: it runs when the data arrives, ends expired after Intake:MaxWait, and a
/// re-sent delivery of a parked event runs it.
/// </summary>
public sealed class ParkedEventTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_balance_event_before_its_contract_waits_for_it_and_makes_its_letter_once_the_contract_arrives()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", ["finance@acme.example"]));
        var balance = _host.Events.Balance("client-1", 150m, 5m);
        await _host.PostAndWaitAsync(balance);

        var parked = await EventAsync(balance.EventId);
        parked.Status.ShouldBe(EventStatus.Waiting);
        (parked.Missing, parked.MissingId).ShouldBe((MissingData.Contract, TestEvents.DefaultContractId));
        parked.Outcome.ShouldBe($"waiting for contract {TestEvents.DefaultContractId}");
        (await _host.NoticesAsync("client-1")).ShouldBeEmpty();

        // The contract's producer is ten minutes behind the balance's.
        _host.Clock.Advance(TimeSpan.FromMinutes(10));
        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-1"));

        var letters = await Eventually.MatchAsync(
            () => _host.NoticesAsync("client-1"),
            notices => notices.Count(n => n.Status == NoticeStatus.Sent) >= 1,
            "the parked balance event's letter once the contract is known");
        letters.Where(n => n.EventId == balance.EventId).Select(n => n.Kind).ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice"], ignoreOrder: true);
        var ran = await EventAsync(balance.EventId);
        ran.Status.ShouldBe(EventStatus.Processed);
        (ran.Missing, ran.MissingId, ran.ParkedPayload).ShouldBe((null, null, null));
        ran.Outcome.ShouldNotBeNull().ShouldEndWith("(after waiting)");
    }

    [Fact]
    public async Task An_event_before_its_client_s_profile_waits_for_it_and_its_letter_names_the_client()
    {
        var activation = _host.Events.Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["taxi"] });
        await _host.PostAndWaitAsync(activation);
        var parked = await EventAsync(activation.EventId);
        (parked.Status, parked.Missing, parked.MissingId).ShouldBe((EventStatus.Waiting, MissingData.Client, "client-1"));

        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));

        var letters = await Eventually.MatchAsync(
            () => _host.NoticesAsync("client-1"),
            notices => notices.Any(n => n.Kind == "ActivateClientNotice" && n.Status == NoticeStatus.Sent),
            "the activation letter once the profile is known");
        letters.Count(n => n.Kind == "ActivateClientNotice").ShouldBe(1);
        letters.Single(n => n.Kind == "ActivateClientNotice").Args["client_name"]!.GetValue<string>().ShouldBe("Acme LLC");
    }

    [Fact]
    public async Task Events_waiting_for_a_contract_that_waits_for_the_profile_run_in_order_once_the_profile_arrives()
    {
        var contract = _host.Events.ContractResync("client-1");
        await _host.PostAndWaitAsync(contract);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var drop = _host.Events.Balance("client-1", 150m, 5m);
        await _host.PostAndWaitAsync(drop);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var topUp = _host.Events.Balance("client-1", 5m, 500m);
        await _host.PostAndWaitAsync(topUp);
        (await _host.WithDbAsync(db => db.Events.CountAsync(e => e.Status == EventStatus.Waiting))).ShouldBe(3);

        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", ["finance@acme.example"]));

        await Eventually.MatchAsync(
            () => _host.WithDbAsync(db => db.Events.CountAsync(e => e.Status == EventStatus.Waiting)),
            waiting => waiting == 0,
            "every parked event to run");

        // In their order: the drop made the limit-is-over letter and its reminder, then the top-up
        // dequeued the reminder (the other way round, the reminder would stay due).
        var notices = await _host.NoticesAsync("client-1");
        notices.Single(n => n.EventId == drop.EventId && n.Kind == "LimitIsOverRemindNotice").Status.ShouldBe(NoticeStatus.Dequeued);
        notices.ShouldContain(n => n.EventId == drop.EventId && n.Kind == "LimitIsOverNotice");
    }

    [Fact]
    public async Task An_event_whose_data_never_comes_expires_and_a_re_sent_delivery_runs_it_once_the_data_is_there()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", ["finance@acme.example"]));
        var balance = _host.Events.Balance("client-1", 150m, 5m);
        await _host.PostAndWaitAsync(balance);

        _host.Clock.Advance(new IntakeOptions().MaxWait + TimeSpan.FromMinutes(1));
        (await WithParkedAsync(p => p.ExpireAsync(CancellationToken.None))).ShouldBe(1);
        var expired = await EventAsync(balance.EventId);
        expired.Status.ShouldBe(EventStatus.Expired);
        expired.Outcome.ShouldBe($"expired waiting for contract {TestEvents.DefaultContractId}");

        // The contract's arrival runs waiting events only: an expired one waits for an operator or a re-send.
        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-1"));
        (await EventAsync(balance.EventId)).Status.ShouldBe(EventStatus.Expired);

        using (var again = await _host.PostEventAsync(balance))
        {
            again.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        }

        await Eventually.MatchAsync(() => EventAsync(balance.EventId), e => e.Status == EventStatus.Processed, "the re-sent expired event to run");
        var letters = await _host.NoticesAsync("client-1");
        letters.Where(n => n.EventId == balance.EventId).Select(n => n.Kind).ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_parked_event_runs_once_however_many_times_it_is_run_again_at_once()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", ["finance@acme.example"]));
        var balance = _host.Events.Balance("client-1", 150m, 5m);
        await _host.PostAndWaitAsync(balance);
        await ContractKnownWithoutReleaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => WithParkedAsync(p => p.RerunAsync(balance.EventId, null, CancellationToken.None))));

        runs.Count(r => r?.Outcome == EventOutcome.Processed).ShouldBe(1);
        (await _host.NoticesAsync("client-1")).Where(n => n.EventId == balance.EventId).Select(n => n.Kind)
            .ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_periodic_retry_runs_a_waiting_event_whose_data_came_without_a_release()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", ["finance@acme.example"]));
        var balance = _host.Events.Balance("client-1", 150m, 5m);
        await _host.PostAndWaitAsync(balance);
        (await WithParkedAsync(p => p.RetryDueAsync(CancellationToken.None))).Ran.ShouldBe(0);

        await ContractKnownWithoutReleaseAsync();
        (await WithParkedAsync(p => p.RetryDueAsync(CancellationToken.None))).Ran.ShouldBe(0, "tried less than an interval ago");

        _host.Clock.Advance(new IntakeOptions().ParkedRetryInterval);
        (await WithParkedAsync(p => p.RetryDueAsync(CancellationToken.None))).Ran.ShouldBe(1);
        (await EventAsync(balance.EventId)).Status.ShouldBe(EventStatus.Processed);
    }

    [Fact]
    public async Task A_discarded_event_is_not_run_by_its_data_or_by_a_re_sent_delivery()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", ["finance@acme.example"]));
        var balance = _host.Events.Balance("client-1", 150m, 5m);
        await _host.PostAndWaitAsync(balance);

        var discarded = await WithParkedAsync(p => p.DiscardAsync(balance.EventId, null, CancellationToken.None));
        discarded.ShouldNotBeNull().Status.ShouldBe(EventStatus.Discarded);
        (await WithParkedAsync(p => p.DiscardAsync(balance.EventId, null, CancellationToken.None))).ShouldBeNull();

        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-1"));
        using (var again = await _host.PostEventAsync(balance))
        {
            again.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        }

        // The repeat is answered from the stored event, not published: nothing to wait for.
        var stored = await EventAsync(balance.EventId);
        stored.Status.ShouldBe(EventStatus.Discarded);
        stored.ParkedPayload.ShouldBeNull();
        (await _host.NoticesAsync("client-1")).ShouldNotContain(n => n.EventId == balance.EventId);
    }

    [Fact]
    public async Task A_parked_event_keeps_its_secret_to_run_later_and_shows_it_masked()
    {
        var token = "gAAAAABnZ2secret-token-of-the-trial";
        var trial = _host.Events.Trial("client-1", TrialFlows.RegisterTrial, encryptedPassword: token);
        await _host.PostAndWaitAsync(trial);

        var parked = await EventAsync(trial.EventId);
        parked.Status.ShouldBe(EventStatus.Waiting);
        parked.Payload.ShouldNotContain(token);
        parked.ParkedPayload.ShouldNotBeNull().ShouldContain(token);
    }

    /// <summary>The contract becomes known by a way that releases nothing (as with a directory that is another service's).</summary>
    private Task<int> ContractKnownWithoutReleaseAsync() =>
        _host.WithDbAsync(db =>
        {
            db.Contracts.Add(new Clients.ContractRecord
            {
                ContractId = TestEvents.DefaultContractId,
                ClientId = "client-1",
                State = TestEvents.KnownState(),
                StateOccurredAt = _host.Clock.GetUtcNow(),
                UpdatedAt = _host.Clock.GetUtcNow(),
            });
            return db.SaveChangesAsync();
        });

    private Task<EventRecord> EventAsync(string eventId) =>
        _host.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.EventId == eventId));

    private async Task<T> WithParkedAsync<T>(Func<ParkedEvents, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ParkedEvents>());
    }
}
