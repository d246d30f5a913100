using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Calendars;
using CorpNotifier.Contracts;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CorpNotifier.SystemTests;

/// <summary>
/// On real PostgreSQL, an operator's or admin's action and its audit record commit together or not
/// at all: with a trigger on <c>audit_log</c> raising on every insert, cancel, restore, re-send,
/// manual send, a settings change, a calendar edit, and a parked event's re-run and discard each answer a 5xx
/// problem, and the notices, the settings, the calendars, the parked events and the mail server see nothing of them.
/// </summary>
public sealed class AuditAtomicityTests : SystemTest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task No_action_commits_without_its_audit_record()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        using var operatorClient = service.ClientAs(Roles.Operator);
        using var admin = service.ClientAs(Roles.Admin);
        var pending = await ManualAsync(operatorClient, DateTimeOffset.UtcNow.AddDays(1));
        var cancelled = await ManualAsync(operatorClient, DateTimeOffset.UtcNow.AddDays(1));
        (await operatorClient.DeleteAsync($"/api/v1/notices/{cancelled.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var sent = await ManualAsync(operatorClient, sendAt: null);
        await WaitForNoticesAsync(n => n.Single(x => x.Id == sent.Id).Status == NoticeStatus.Sent, "the letter to re-send");
        using var settings = await admin.GetAsync("/api/v1/settings/notices/LowBalanceNotice");
        var etag = settings.Headers.ETag!.Tag;
        // Parked events as the intake stores them: one expired whose contract has come since (its
        // re-run would make a letter), one waiting for a contract that never comes.
        await ParkAsync(Events.Balance("client-42", 150, 42, eventId: "parked-expired"), EventStatus.Expired);
        await ParkAsync(Events.Balance("client-42", 150, 42, "contract-never", eventId: "parked-waiting"), EventStatus.Waiting);
        var before = await StateAsync();
        var senderCalls = Upstreams.SenderCalls.Count;

        await ExecuteAsync("""
            CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is down'; END $$;
            CREATE TRIGGER audit_down BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_down();
            """);

        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/settings/notices/LowBalanceNotice")
        {
            Content = JsonContent.Create(new
            {
                enabled = false,
                mode = "Shadow",
                offset = "01:00:00",
                slugs = new Dictionary<string, string> { ["default"] = "low-balance" },
                extraRecipients = new Dictionary<string, string[]>(),
            }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", etag);
        using var calendar = new HttpRequestMessage(HttpMethod.Put, "/api/v1/calendars/rus/2027")
        {
            Content = JsonContent.Create(new { source = "Test decree", daysOff = new[] { new { date = "2027-12-01", note = "a day off by test decree" } }, workingDays = Array.Empty<object>() }),
        };
        calendar.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        var attempts = new (string Action, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("cancel", () => operatorClient.DeleteAsync($"/api/v1/notices/{pending.Id}")),
            ("restore", () => operatorClient.PostAsync($"/api/v1/notices/{cancelled.Id}/restore", null)),
            ("resend", () => operatorClient.PostAsync($"/api/v1/notices/{sent.Id}/resend", null)),
            ("manual send", () => operatorClient.PostAsJsonAsync("/api/v1/clients/client-42/notices", Body(sendAt: null))),
            ("settings change", () => admin.SendAsync(put)),
            ("calendar edit", () => admin.SendAsync(calendar)),
            ("event re-run", () => operatorClient.PostAsync("/api/v1/events/parked-expired/rerun", null)),
            ("event discard", () => operatorClient.PostAsync("/api/v1/events/parked-waiting/discard", null)),
        };
        foreach (var (action, send) in attempts)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBeGreaterThanOrEqualTo(500, $"{action}: {body}");
            JsonDocument.Parse(body).RootElement.GetProperty("title").GetString().ShouldBe("Nothing was changed", action);
        }

        var after = await StateAsync();
        after.Notices.ShouldBe(before.Notices, "every notice as it was, and no new one");
        after.History.ShouldBe(before.History);
        after.Audit.ShouldBe(before.Audit);
        after.Parked.ShouldBe(before.Parked, "the parked events as they were");
        after.Calendars.ShouldBe(before.Calendars, "no calendar year stored");

        // With the audit log back, a letter scheduled now is sent once the sweeper went past: what
        // a kept re-send or manual send would have sent had its chance, and nothing but that letter went out.
        await ExecuteAsync("DROP TRIGGER audit_down ON audit_log;");
        await SweptPastAsync(service, DateTimeOffset.UtcNow, clientId: "client-42");
        Upstreams.SenderCalls.Count.ShouldBe(senderCalls + 1);
        (await StateAsync()).Notices.Count.ShouldBe(before.Notices.Count + 1);
    }

    private sealed record NoticeState(long Id, NoticeStatus Status, string? DequeuedBy, DateTimeOffset UpdatedAt, int TimelineSteps);

    private sealed record ParkedState(string EventId, EventStatus Status, string? Outcome, bool KeepsItsBody);

    private sealed record State(IReadOnlyList<NoticeState> Notices, int History, int Audit, IReadOnlyList<ParkedState> Parked, int Calendars);

    private async Task<State> StateAsync()
    {
        await using var db = Env.Db();
        var notices = await db.Notices.AsNoTracking().Include(n => n.Timeline).OrderBy(n => n.Id)
            .Select(n => new NoticeState(n.Id, n.Status, n.DequeuedBy, n.UpdatedAt, n.Timeline.Count))
            .ToListAsync();
        var parked = await db.Events.AsNoTracking().Where(e => e.EventId.StartsWith("parked-")).OrderBy(e => e.EventId)
            .Select(e => new ParkedState(e.EventId, e.Status, e.Outcome, e.ParkedPayload != null))
            .ToListAsync();
        return new State(notices, await db.NoticeSettingsHistory.CountAsync(), await db.Audit.CountAsync(), parked, await db.CalendarYears.CountAsync());
    }

    private async Task ParkAsync(BalanceChanged evt, EventStatus status)
    {
        await using var db = Env.Db();
        var wire = EventEnvelopeReader.Write(evt).ToJsonString();
        var waiting = $"waiting for contract {evt.ContractId}";
        db.Events.Add(new EventRecord
        {
            EventId = evt.EventId,
            Type = nameof(BalanceChanged),
            ClientId = evt.ClientId,
            OccurredAt = evt.OccurredAt,
            ReceivedAt = DateTimeOffset.UtcNow,
            Payload = wire,
            Outcome = status == EventStatus.Expired ? $"expired {waiting}" : waiting,
            Status = status,
            Missing = MissingData.Contract,
            MissingId = evt.ContractId,
            ParkedPayload = wire,
        });
        await db.SaveChangesAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Env.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static object Body(DateTimeOffset? sendAt) => new
    {
        kind = "LowBalanceNotice",
        contractId = "contract-7",
        args = new { old_balance = "150", new_balance = "42", currency = "RUB" },
        sendAt,
    };

    private static async Task<NoticeView> ManualAsync(HttpClient client, DateTimeOffset? sendAt)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/clients/client-42/notices", Body(sendAt));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NoticeView>(Json))!;
    }
}
