using System.Diagnostics;
using CorpNotifier.Contracts;
using MassTransit;
using MassTransit.Testing;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// The host's tests wait on MassTransit's test harness (<c>Consumed.Any&lt;T&gt;()</c>), as
/// MassTransit's samples do. With the harness's default options its waits end for good once the
/// bus has been idle for 1.2 s, and return at once from then on: a host that migrates its database
/// before the first event, or a test that sets things up first, then sees "not consumed" for an
/// event that is consumed a moment later. <see cref="TestHost"/> sets the idle time beyond a
/// test's length; a wait ends when its message is consumed, or after the harness's TestTimeout.
/// So: wait with <c>Any</c> (it ends at the first match), then read what was seen so far with
/// <see cref="TestHost.SeenSoFar"/> as the token (an enumeration without it runs to TestTimeout).
/// </summary>
public sealed class HarnessWaitTests
{
    [Fact]
    public async Task Consumed_Any_waits_for_the_consumption_after_the_bus_was_idle_longer_than_MassTransit_s_default()
    {
        using var host = new TestHost();
        var harness = host.Harness;
        var idle = Stopwatch.StartNew();

        // Nothing on the bus for longer than the default inactivity timeout.
        var defaultIdle = new TestHarnessOptions().TestInactivityTimeout;
        await Eventually.MatchAsync(() => Task.FromResult(idle.Elapsed), elapsed => elapsed > defaultIdle * 2, "the bus to have been idle");
        harness.InactivityToken.IsCancellationRequested.ShouldBeFalse();

        var profile = host.Events.Profile("client-1", ["finance@acme.example"]);
        using var response = await host.PostEventAsync(profile);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);

        (await harness.Consumed.Any<ClientProfileChanged>(x => x.Context.Message.EventId == profile.EventId)).ShouldBeTrue();
        harness.Consumed.Select<ClientProfileChanged>(x => x.Context.Message.EventId == profile.EventId, TestHost.SeenSoFar)
            .ShouldHaveSingleItem().Exception.ShouldBeNull();
        (await host.WithDbAsync(db => Task.FromResult(db.Clients.Any(c => c.ClientId == "client-1")))).ShouldBeTrue("the consumption is reported once the consumer's transaction is committed");
    }

    [Fact]
    public async Task An_event_waiting_for_its_contract_is_reported_once_its_retries_are_over()
    {
        using var host = new TestHost();
        await host.PostAndWaitAsync(host.Events.Profile("client-1", ["finance@acme.example"]));

        // A balance change of a contract not known yet is retried a few times, then processed as it is.
        var balance = host.Events.Balance("client-1", 150m, 5m, "contract-unknown");
        await host.PostAndWaitAsync(balance);

        (await host.WithDbAsync(db => Task.FromResult(db.Events.Any(e => e.EventId == balance.EventId)))).ShouldBeTrue();
        host.Harness.Consumed.Select<BalanceChanged>(x => x.Context.Message.EventId == balance.EventId, TestHost.SeenSoFar).Count().ShouldBe(1);
    }
}
