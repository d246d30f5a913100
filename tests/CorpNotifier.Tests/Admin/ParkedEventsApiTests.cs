using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Admin;

/// <summary>
/// Parked events through the admin API: the list of the waiting and the expired with what each
/// lacks and when it expires, one event with its parked state, and the operators' re-run and
/// discard — refused to viewers, audited, a re-run whose data is still missing changing nothing.
/// </summary>
public sealed class ParkedEventsApiTests : OperatorsHostTest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Waiting_and_expired_events_are_listed_oldest_first_with_their_client_what_they_lack_and_when_they_expire()
    {
        var now = Host.Clock.GetUtcNow();
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-old", eventId: "b-expired"), EventStatus.Expired, receivedAt: now.AddDays(-8));
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 40, "c-7", eventId: "b-waiting"), receivedAt: now.AddHours(-1));
        await Host.ParkAsync(Host.Events.Balance("client-2", 150, 30, "c-9", eventId: "b-other"), receivedAt: now);

        var all = (await ViewerApi.GetFromJsonAsync<ParkedEventPage>("/api/v1/events", Json))!;
        var waiting = (await ViewerApi.GetFromJsonAsync<ParkedEventPage>("/api/v1/events?status=waiting&clientId=client-1", Json))!;
        var expired = (await ViewerApi.GetFromJsonAsync<ParkedEventPage>("/api/v1/events?status=expired", Json))!;
        var newest = (await ViewerApi.GetFromJsonAsync<ParkedEventPage>("/api/v1/events?order=newest", Json))!;

        all.Items.Select(e => e.EventId).ShouldBe(["b-expired", "b-waiting", "b-other"]);
        newest.Items.Select(e => e.EventId).ShouldBe(["b-other", "b-waiting", "b-expired"]);
        var one = waiting.Items.ShouldHaveSingleItem();
        one.ShouldBe(one with
        {
            EventId = "b-waiting",
            Type = "BalanceChanged",
            ClientId = "client-1",
            Status = "waiting",
            Missing = "contract",
            MissingId = "c-7",
            WaitingSince = now.AddHours(-1),
            ExpiresAt = now.AddHours(-1).AddDays(7),
            Outcome = "waiting for contract c-7",
        });
        var gone = expired.Items.ShouldHaveSingleItem();
        gone.EventId.ShouldBe("b-expired");
        gone.ExpiresAt.ShouldBeNull("an expired event expires no more");
        (await ViewerApi.GetFromJsonAsync<ParkedEventPage>("/api/v1/events?clientId=client-3", Json))!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_list_pages_with_a_cursor_and_refuses_what_it_does_not_know()
    {
        var now = Host.Clock.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            // Received at minutes 0, 1, 1, 2, 2: a page of two ends between two of the same instant.
            await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, $"c-{i}", eventId: $"b-{i}"), receivedAt: now.AddMinutes((i + 1) / 2));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await ViewerApi.GetFromJsonAsync<ParkedEventPage>($"/api/v1/events?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", Json))!;
            seen.AddRange(page.Items.Select(e => e.EventId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        seen.ShouldBe(["b-0", "b-1", "b-2", "b-3", "b-4"]);
        foreach (var bad in new[] { "status=processed", "order=sideways", "cursor=nonsense", "limit=0" })
        {
            using var response = await ViewerApi.GetAsync($"/api/v1/events?{bad}");
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, bad);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
    }

    [Fact]
    public async Task An_event_shows_where_it_stands_and_what_it_waits_for()
    {
        var received = Host.Clock.GetUtcNow().AddMinutes(-3);
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-7", eventId: "b-1"), receivedAt: received);

        var view = (await ViewerApi.GetFromJsonAsync<EventDetailView>("/api/v1/events/b-1", Json))!;

        view.Status.ShouldBe("waiting");
        view.Missing.ShouldBe("contract");
        view.MissingId.ShouldBe("c-7");
        view.ExpiresAt.ShouldBe(received.AddDays(7));
        view.RetriedAt.ShouldBeNull();
        view.Created.ShouldBeEmpty();
        view.Payload.GetProperty("data").GetProperty("contractId").GetString().ShouldBe("c-7");
    }

    [Fact]
    public async Task A_re_run_whose_contract_is_still_unknown_is_refused_and_the_event_keeps_waiting_unaudited()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, "c-7", eventId: "b-1"));
        Host.Clock.Advance(TimeSpan.FromMinutes(5));
        var tried = Host.Clock.GetUtcNow();

        using var rerun = await OperatorApi.PostAsync("/api/v1/events/b-1/rerun", null);

        rerun.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = JsonDocument.Parse(await rerun.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("detail").GetString().ShouldBe("contract c-7 is still not known: the event keeps waiting");
        var row = await Host.EventRowAsync("b-1");
        row.Status.ShouldBe(EventStatus.Waiting);
        row.RetriedAt.ShouldNotBeNull("the try is recorded").ShouldBeGreaterThanOrEqualTo(tried);
        (await AuditAsync("b-1")).ShouldBeEmpty();
        (await Host.NoticesAsync("client-1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_expired_event_re_run_after_its_contract_came_makes_its_letter_once_and_is_audited()
    {
        var balance = Host.Events.Balance("client-1", 150, 50, eventId: "b-late");
        await Host.ParkAsync(balance, EventStatus.Expired, receivedAt: Host.Clock.GetUtcNow().AddDays(-8));
        using (var early = await OperatorApi.PostAsync("/api/v1/events/b-late/rerun", null))
        {
            early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await early.Content.ReadAsStringAsync()).ShouldContain($"contract {TestEvents.DefaultContractId} is still not known: the event stays expired");
        }

        await Host.PostAndWaitAsync(Host.Events.ContractResync("client-1"));
        (await Host.EventRowAsync("b-late")).Status.ShouldBe(EventStatus.Expired, "the contract's arrival releases waiting events, not expired ones");

        using var rerun = await OperatorApi.PostAsync("/api/v1/events/b-late/rerun", null);
        rerun.StatusCode.ShouldBe(HttpStatusCode.OK, await rerun.Content.ReadAsStringAsync());
        var view = (await rerun.Content.ReadFromJsonAsync<EventDetailView>(Json))!;
        using var again = await OperatorApi.PostAsync("/api/v1/events/b-late/rerun", null);

        view.Status.ShouldBe("processed");
        view.Missing.ShouldBeNull();
        view.Created.ShouldHaveSingleItem().Kind.ShouldBe("LowBalanceNotice");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldContain("is processed; only a waiting or expired event can be re-run or discarded");
        await Eventually.MatchAsync(() => Host.NoticesAsync("client-1"), n => n.Any(x => x.Status == NoticeStatus.Sent), "the letter to be sent");
        (await Host.NoticesAsync("client-1")).ShouldHaveSingleItem().EventId.ShouldBe("b-late");
        var audit = (await AuditAsync("b-late")).ShouldHaveSingleItem();
        audit.Action.ShouldBe(AuditActions.RerunEvent);
        audit.Actor.ShouldBe("test-operator");
        audit.Before!.ShouldContain("\"status\":\"expired\"");
        audit.After!.ShouldContain("\"status\":\"processed\"");
    }

    [Fact]
    public async Task A_discarded_event_ends_discarded_audited_and_never_runs()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, eventId: "b-1"));

        using var discard = await AdminApi.PostAsync("/api/v1/events/b-1/discard", null);
        using var again = await AdminApi.PostAsync("/api/v1/events/b-1/discard", null);
        await Host.PostAndWaitAsync(Host.Events.ContractResync("client-1"));
        using var rerun = await OperatorApi.PostAsync("/api/v1/events/b-1/rerun", null);

        discard.StatusCode.ShouldBe(HttpStatusCode.OK, await discard.Content.ReadAsStringAsync());
        (await discard.Content.ReadFromJsonAsync<EventDetailView>(Json))!.Status.ShouldBe("discarded");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        rerun.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var row = await Host.EventRowAsync("b-1");
        row.Status.ShouldBe(EventStatus.Discarded);
        row.Outcome.ShouldBe($"discarded while waiting for contract {TestEvents.DefaultContractId}");
        (await Host.NoticesAsync("client-1")).ShouldBeEmpty();
        var audit = (await AuditAsync("b-1")).ShouldHaveSingleItem();
        (audit.Action, audit.Actor, audit.Role).ShouldBe((AuditActions.DiscardEvent, "test-admin", "admin"));
    }

    [Fact]
    public async Task A_viewer_may_read_parked_events_but_not_re_run_or_discard_them()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, eventId: "b-1"));

        using var list = await ViewerApi.GetAsync("/api/v1/events");
        using var rerun = await ViewerApi.PostAsync("/api/v1/events/b-1/rerun", null);
        using var discard = await ViewerApi.PostAsync("/api/v1/events/b-1/discard", null);

        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        rerun.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        discard.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Host.EventRowAsync("b-1")).Status.ShouldBe(EventStatus.Waiting);
        (await AuditAsync("b-1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_event_never_received_or_not_parked_is_refused_with_a_problem()
    {
        using var unknown = await OperatorApi.PostAsync("/api/v1/events/never-received/rerun", null);
        using var processed = await OperatorApi.PostAsync($"/api/v1/events/{(await ProfileEventIdAsync())}/discard", null);

        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Event 'never-received' was never received.");
        processed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await processed.Content.ReadAsStringAsync()).ShouldContain("is processed; only a waiting or expired event can be re-run or discarded");
    }

    private Task<string> ProfileEventIdAsync() =>
        Host.WithDbAsync(db => db.Events.Where(e => e.Type == "ClientProfileChanged").Select(e => e.EventId).FirstAsync());

    private Task<List<AuditRecord>> AuditAsync(string eventId) =>
        Host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.TargetType == "event" && a.TargetId == eventId).ToListAsync());
}
