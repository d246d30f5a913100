using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Privacy;
using CorpNotifier.Tests.Admin;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Privacy;

/// <summary>
/// An admin erases a client's data: refused while letters are under way unless told to cancel them,
/// then the name, addresses, arguments and payloads are gone, the erasure is audited without them,
/// and the client's later events work as before.
/// </summary>
public sealed class ClientErasureTests : OperatorsHostTest
{
    private const string Address = "client-1@clients.example";

    [Fact]
    public async Task Erasing_a_client_with_a_pending_letter_is_refused_and_changes_nothing()
    {
        var pending = await ManualAsync(sendAt: Host.Clock.GetUtcNow().AddDays(10));

        using var response = await AdminApi.PostAsJsonAsync("/api/v1/clients/client-1/erasure", new { why = "the client asked (ticket 77)" });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).ShouldContain("cancelPending");
        var letter = (await Host.NoticesAsync("client-1")).ShouldHaveSingleItem();
        letter.Id.ShouldBe(pending.Id);
        letter.Status.ShouldBe(NoticeStatus.Pending);
        letter.Args.Count.ShouldBeGreaterThan(0);
        var client = await Host.WithDbAsync(db => db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == "client-1"));
        client.Name.ShouldBe("Acme LLC");
        client.Emails.ShouldBe([Address]);
        (await AuditAsync()).ShouldNotContain(a => a.Action == ClientEraser.Action);
    }

    [Fact]
    public async Task Erasing_with_cancel_pending_cancels_the_letters_and_removes_the_clients_data()
    {
        var sent = await ManualAsync();
        await Eventually.MatchAsync(() => StatusAsync(sent.Id), s => s == NoticeStatus.Sent, "the first letter sent");
        var pending = await ManualAsync(sendAt: Host.Clock.GetUtcNow().AddDays(10));

        using var response = await AdminApi.PostAsJsonAsync("/api/v1/clients/client-1/erasure", new { why = $"the client asked; was {Address}", cancelPending = true });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var summary = (await response.Content.ReadFromJsonAsync<ErasureSummary>())!;
        summary.Cancelled.ShouldBe(1);
        summary.Addresses.ShouldBe(1);

        var letters = await Host.NoticesAsync("client-1");
        letters.Single(n => n.Id == pending.Id).Status.ShouldBe(NoticeStatus.Dequeued);
        letters.Single(n => n.Id == pending.Id).DequeuedBy.ShouldBe("test-admin");
        letters.Single(n => n.Id == sent.Id).Status.ShouldBe(NoticeStatus.Sent);
        letters.ShouldAllBe(n => n.SentTo.Count == 0 && n.Recipients.Count == 0 && n.Args.Count == 0);

        var client = await Host.WithDbAsync(db => db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == "client-1"));
        client.Name.ShouldBeNull();
        client.Emails.ShouldBeEmpty();
        var events = await Host.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.ClientId == "client-1").ToListAsync());
        events.ShouldNotBeEmpty();
        events.ShouldAllBe(e => e.Payload == ClientEraser.ErasedPayload);

        var audit = await AuditAsync();
        var erasure = audit.Single(a => a.Action == ClientEraser.Action);
        erasure.Actor.ShouldBe("test-admin");
        erasure.TargetId.ShouldBe("client-1");
        erasure.After.ShouldNotBeNull().ShouldContain("the client asked");
        foreach (var record in audit)
        {
            $"{record.Before} {record.After}".ShouldNotContain(Address, Case.Insensitive);
            $"{record.Before} {record.After}".ShouldNotContain("Acme LLC", Case.Insensitive);
        }

        var steps = await Host.WithDbAsync(db => db.Timeline.AsNoTracking().Where(t => t.NoticeId == sent.Id || t.NoticeId == pending.Id).ToListAsync());
        steps.ShouldAllBe(t => t.Detail == null || !t.Detail.Contains(Address, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_erased_clients_later_events_work_as_before_with_the_new_data()
    {
        var first = await ManualAsync();
        await Eventually.MatchAsync(() => StatusAsync(first.Id), s => s == NoticeStatus.Sent, "the first letter sent");
        using (var erased = await AdminApi.PostAsJsonAsync("/api/v1/clients/client-1/erasure", new { why = "asked" }))
        {
            erased.StatusCode.ShouldBe(HttpStatusCode.OK, await erased.Content.ReadAsStringAsync());
        }

        await Host.PostAndWaitAsync(Host.Events.Profile("client-1", ["new.billing@clients.example"]));
        var next = await ManualAsync();

        await Eventually.MatchAsync(() => StatusAsync(next.Id), s => s == NoticeStatus.Sent, "the letter after the erasure sent");
        (await Host.NoticesAsync("client-1")).Single(n => n.Id == next.Id).SentTo.ShouldBe(["new.billing@clients.example"]);
    }

    [Fact]
    public async Task Only_admins_may_erase_a_client_and_a_reason_is_required()
    {
        using (var byOperator = await OperatorApi.PostAsJsonAsync("/api/v1/clients/client-1/erasure", new { why = "asked" }))
        {
            byOperator.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using (var noReason = await AdminApi.PostAsJsonAsync("/api/v1/clients/client-1/erasure", new { why = " " }))
        {
            noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            JsonDocument.Parse(await noReason.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("why", out _).ShouldBeTrue();
        }

        var client = await Host.WithDbAsync(db => db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == "client-1"));
        client.Emails.ShouldBe([Address]);
    }

    private Task<NoticeStatus> StatusAsync(long id) =>
        Host.WithDbAsync(db => db.Notices.AsNoTracking().Where(n => n.Id == id).Select(n => n.Status).SingleAsync());

    private Task<List<AuditRecord>> AuditAsync() =>
        Host.WithDbAsync(db => db.Audit.AsNoTracking().ToListAsync());
}
