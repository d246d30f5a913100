using CorpNotifier.Admin;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Events whose data comes late are parked, not lost, on real PostgreSQL and RabbitMQ: each makes
/// its letters once the data arrives, exactly once, with two instances releasing and retrying the
/// parked events at the same time.
/// </summary>
public sealed class ParkedEventTests : SystemTest
{
    [Fact]
    public async Task Events_before_their_contract_or_profile_make_their_letters_exactly_once_when_the_data_arrives_on_two_instances()
    {
        // Both instances also retry parked events every second, racing the releases.
        var settings = new Dictionary<string, string> { ["Intake:ParkedRetryInterval"] = "00:00:01" };
        var a = await StartServiceAsync(settings, name: "instance-a");
        var b = await StartServiceAsync(settings, name: "instance-b");
        var contractLate = Enumerable.Range(1, 8).Select(i => $"late-contract-{i}").ToList();
        var profileLate = Enumerable.Range(1, 4).Select(i => $"late-profile-{i}").ToList();

        // The profile comes first, the balance drop before its contract; or the contract and the
        // drop both before the profile (the contract itself waits for the profile).
        foreach (var client in contractLate)
        {
            await PostAsync(a, Events.Profile(client, [$"finance@{client}.example"]));
        }

        await using (var producer = await ProducerAsync())
        {
            var bus = producer.GetRequiredService<IBus>();
            foreach (var client in contractLate)
            {
                await bus.Publish(Events.Balance(client, 150, 5, contractId: $"{client}-contract"));
            }

            foreach (var client in profileLate)
            {
                await bus.Publish(Events.ContractResync(client, $"{client}-contract"));
                await bus.Publish(Events.Balance(client, 150, 5, contractId: $"{client}-contract", at: DateTimeOffset.UtcNow.AddSeconds(1)));
            }
        }

        // Parked once the in-process waits are over, and tried again by both instances since.
        await Eventually.MatchAsync(
            WaitingAsync,
            waiting => waiting.Count == contractLate.Count + 2 * profileLate.Count && waiting.All(e => e.RetriedAt is not null),
            "every event to be parked and tried again by the periodic retry",
            TimeSpan.FromMinutes(2),
            Logs);
        (await Env.NoticesAsync()).ShouldBeEmpty();

        for (var i = 0; i < contractLate.Count; i++)
        {
            await PostAsync(i % 2 == 0 ? a : b, Events.ContractResync(contractLate[i], $"{contractLate[i]}-contract"));
        }

        foreach (var client in profileLate)
        {
            await PostAsync(b, Events.Profile(client, [$"finance@{client}.example"]));
        }

        var all = contractLate.Concat(profileLate).ToList();
        var notices = await WaitUntilSentAsync(all.Count, "a limit-is-over letter per client", TimeSpan.FromMinutes(2));
        (await WaitingAsync()).ShouldBeEmpty();
        foreach (var client in all)
        {
            notices.Where(n => n.ClientId == client).Select(n => n.Kind).ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice"], ignoreOrder: true, client);
            Upstreams.SenderCalls.Count(c => c.ToEmail == $"finance@{client}.example").ShouldBe(1, client);
        }

        await using var db = Env.Db();
        (await db.Events.CountAsync(e => e.Status == EventStatus.Processed && e.Outcome!.EndsWith("(after waiting)"))).ShouldBe(all.Count + profileLate.Count);
    }

    [Fact]
    public async Task An_event_whose_contract_never_comes_expires_shows_in_the_console_and_an_operator_re_runs_it_once_the_contract_is_there()
    {
        var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["Intake:MaxWait"] = "00:00:02",
            ["Intake:ParkedRetryInterval"] = "00:00:01",
        });
        await SeedClientAsync(service);
        var balance = Events.Balance("client-42", 150, 5, contractId: "contract-late");
        await PostAsync(service, balance);

        await Eventually.MatchAsync(() => EventAsync(balance.EventId), e => e?.Status == EventStatus.Expired, "the event to expire", TimeSpan.FromMinutes(1), Logs);
        (await EventAsync(balance.EventId))!.Outcome.ShouldBe("expired waiting for contract contract-late");

        using var browser = await ConsoleBrowser.SignedInAsync(service, Auth.Roles.Operator);
        (await browser.GetStringAsync("/admin")).ShouldContain(balance.EventId);
        (await browser.GetStringAsync("/admin/events?status=expired")).ShouldContain(balance.EventId);

        // The contract's arrival runs waiting events only: an expired one is the operator's to run.
        await PostAsync(service, Events.ContractResync("client-42", "contract-late"));
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return await db.Contracts.AnyAsync(c => c.ContractId == "contract-late");
            },
            known => known,
            "the contract to be known",
            diagnostics: Logs);
        (await EventAsync(balance.EventId))!.Status.ShouldBe(EventStatus.Expired);

        var page = await browser.GetStringAsync($"/admin/events/{balance.EventId}");
        using var rerun = await ConsoleBrowser.PostAsync(browser, $"/admin/events/{balance.EventId}/rerun", ConsoleBrowser.Token(page), []);
        rerun.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        rerun.Headers.Location!.OriginalString.ShouldContain("done=rerun");

        var notices = await WaitForNoticesAsync(n => n.Any(x => x.EventId == balance.EventId && x.Status == NoticeStatus.Sent), "the re-run event's letter");
        notices.Where(n => n.EventId == balance.EventId).Select(n => n.Kind).ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice"], ignoreOrder: true);
        (await EventAsync(balance.EventId))!.Status.ShouldBe(EventStatus.Processed);
        await using var db = Env.Db();
        var audit = await db.Audit.AsNoTracking().SingleAsync(a => a.TargetId == balance.EventId);
        (audit.Action, audit.Actor).ShouldBe(("event.rerun", "system-operator"));
    }

    private async Task<EventRecord?> EventAsync(string eventId)
    {
        await using var db = Env.Db();
        return await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.EventId == eventId);
    }

    private async Task<List<EventRecord>> WaitingAsync()
    {
        await using var db = Env.Db();
        return await db.Events.AsNoTracking().Where(e => e.Status == EventStatus.Waiting).ToListAsync();
    }
}
