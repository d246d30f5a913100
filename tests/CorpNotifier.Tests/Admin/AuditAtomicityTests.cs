using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Calendars;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Admin;

/// <summary>
/// An operator's or admin's action and its audit record are committed together or not at all:
/// with the audit log refusing every insert (a trigger that raises), each action answers a 5xx
/// problem and leaves the notice, the settings, the parked event or the calendar exactly as they were.
/// </summary>
public sealed class AuditAtomicityTests : OperatorsHostTest
{

    [Fact]
    public async Task A_cancel_whose_audit_fails_changes_nothing()
    {
        var notice = await ManualAsync(sendAt: Host.Clock.GetUtcNow().AddDays(1));
        var before = await SnapshotAsync(notice.Id);

        await using (await AuditDownAsync())
        {
            using var cancel = await OperatorApi.DeleteAsync($"/api/v1/notices/{notice.Id}");
            await ShouldBeNotSavedAsync(cancel);
        }

        (await SnapshotAsync(notice.Id)).ShouldBe(before);
        using var again = await OperatorApi.DeleteAsync($"/api/v1/notices/{notice.Id}");
        again.StatusCode.ShouldBe(HttpStatusCode.OK, "with the audit log back, the same cancel goes through");
    }

    [Fact]
    public async Task A_restore_whose_audit_fails_changes_nothing()
    {
        var notice = await ManualAsync(sendAt: Host.Clock.GetUtcNow().AddDays(1));
        (await OperatorApi.DeleteAsync($"/api/v1/notices/{notice.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await SnapshotAsync(notice.Id);
        before.Status.ShouldBe(NoticeStatus.Dequeued);

        await using (await AuditDownAsync())
        {
            using var restore = await OperatorApi.PostAsync($"/api/v1/notices/{notice.Id}/restore", null);
            await ShouldBeNotSavedAsync(restore);
        }

        (await SnapshotAsync(notice.Id)).ShouldBe(before);
    }

    [Fact]
    public async Task A_resend_whose_audit_fails_creates_and_sends_nothing()
    {
        var original = await ManualAsync(sendAt: null);
        await Eventually.MatchAsync(() => StatusAsync(original.Id), s => s == NoticeStatus.Sent, "the original letter to be sent");
        var notices = await CountNoticesAsync();
        var audit = await CountAuditAsync();

        await using (await AuditDownAsync())
        {
            using var resend = await OperatorApi.PostAsync($"/api/v1/notices/{original.Id}/resend", null);
            await ShouldBeNotSavedAsync(resend);
        }

        await Host.WaitForSweepsAsync();
        (await CountNoticesAsync()).ShouldBe(notices);
        (await CountAuditAsync()).ShouldBe(audit);
        Host.Letters().Length.ShouldBe(1, "only the original was sent");
    }

    [Fact]
    public async Task A_manual_send_whose_audit_fails_creates_and_sends_nothing()
    {
        await using (await AuditDownAsync())
        {
            using var response = await OperatorApi.PostAsJsonAsync("/api/v1/clients/client-1/notices", LowBalance(sendAt: null));
            await ShouldBeNotSavedAsync(response);
        }

        await Host.WaitForSweepsAsync();
        (await Host.NoticesAsync("client-1")).ShouldBeEmpty();
        (await CountAuditAsync()).ShouldBe(0);
        Host.Letters().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_settings_change_whose_audit_fails_changes_nothing()
    {
        using var read = await AdminApi.GetAsync("/api/v1/settings/notices/LowBalanceNotice");
        var etag = read.Headers.ETag!.Tag;
        var settings = await read.Content.ReadAsStringAsync();
        var history = await AdminApi.GetStringAsync("/api/v1/settings/notices/LowBalanceNotice/history");

        await using (await AuditDownAsync())
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/settings/notices/LowBalanceNotice")
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
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            using var put = await AdminApi.SendAsync(request);
            await ShouldBeNotSavedAsync(put);
        }

        using var after = await AdminApi.GetAsync("/api/v1/settings/notices/LowBalanceNotice");
        after.Headers.ETag!.Tag.ShouldBe(etag);
        (await after.Content.ReadAsStringAsync()).ShouldBe(settings);
        (await AdminApi.GetStringAsync("/api/v1/settings/notices/LowBalanceNotice/history")).ShouldBe(history);
        (await CountAuditAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_re_run_whose_audit_fails_leaves_the_event_parked_and_creates_and_sends_nothing()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, eventId: "b-late"), EventStatus.Expired);
        await Host.PostAndWaitAsync(Host.Events.ContractResync("client-1"));
        var before = await Host.EventRowAsync("b-late");

        await using (await AuditDownAsync())
        {
            using var rerun = await OperatorApi.PostAsync("/api/v1/events/b-late/rerun", null);
            await ShouldBeNotSavedAsync(rerun);
        }

        await Host.WaitForSweepsAsync();
        var after = await Host.EventRowAsync("b-late");
        (after.Status, after.Outcome, after.RetriedAt, after.ParkedPayload).ShouldBe((before.Status, before.Outcome, before.RetriedAt, before.ParkedPayload));
        (await Host.NoticesAsync("client-1")).ShouldBeEmpty();
        (await CountAuditAsync()).ShouldBe(0);
        Host.Letters().ShouldBeEmpty();
        using var again = await OperatorApi.PostAsync("/api/v1/events/b-late/rerun", null);
        again.StatusCode.ShouldBe(HttpStatusCode.OK, "with the audit log back, the same re-run goes through");
    }

    [Fact]
    public async Task A_discard_whose_audit_fails_leaves_the_event_waiting()
    {
        await Host.ParkAsync(Host.Events.Balance("client-1", 150, 50, eventId: "b-1"));
        var before = await Host.EventRowAsync("b-1");

        await using (await AuditDownAsync())
        {
            using var discard = await OperatorApi.PostAsync("/api/v1/events/b-1/discard", null);
            await ShouldBeNotSavedAsync(discard);
        }

        var after = await Host.EventRowAsync("b-1");
        (after.Status, after.Outcome, after.RetriedAt, after.ParkedPayload).ShouldBe((EventStatus.Waiting, before.Outcome, before.RetriedAt, before.ParkedPayload));
        (await CountAuditAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_calendar_edit_or_import_whose_audit_fails_changes_no_calendar()
    {
        var before = await AdminApi.GetStringAsync("/api/v1/calendars/rus/2027");
        var file = CountryCalendarFile.Write(
            CountryCalendarFile.Shipped().Single(c => c.Country == "kaz" && c.Year == 2027) with { Country = "geo" });

        await using (await AuditDownAsync())
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/calendars/rus/2027")
            {
                Content = JsonContent.Create(new { source = "Test decree", daysOff = new[] { new { date = "2027-12-01", note = "a day off by test decree" } }, workingDays = Array.Empty<object>() }),
            };
            put.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
            using var edit = await AdminApi.SendAsync(put);
            await ShouldBeNotSavedAsync(edit);
            using var import = await AdminApi.PostAsync("/api/v1/calendars/import", new StringContent(file, System.Text.Encoding.UTF8, "application/json"));
            await ShouldBeNotSavedAsync(import);
        }

        (await AdminApi.GetStringAsync("/api/v1/calendars/rus/2027")).ShouldBe(before);
        (await Host.WithDbAsync(db => db.CalendarYears.CountAsync())).ShouldBe(0);
        (await CountAuditAsync()).ShouldBe(0);
        var calendars = Host.Services.GetRequiredService<BusinessCalendars>();
        calendars.For("rus").IsBusinessDay(new NodaTime.LocalDate(2027, 12, 1)).ShouldBeTrue("the instance's calendar as it was");
        calendars.Peek("geo").IsKnown.ShouldBeFalse();
    }

    /// <summary>A notice as far as an action could change it: its row and its timeline.</summary>
    private sealed record Snapshot(NoticeStatus Status, string? DequeuedBy, string? Reason, DateTimeOffset UpdatedAt, int TimelineSteps, int AuditRecords);

    private Task<Snapshot> SnapshotAsync(long id) => Host.WithDbAsync(async db =>
    {
        var notice = await db.Notices.AsNoTracking().Include(n => n.Timeline).SingleAsync(n => n.Id == id);
        var idText = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = await db.Audit.CountAsync(a => a.TargetType == "notice" && a.TargetId == idText);
        return new Snapshot(notice.Status, notice.DequeuedBy, notice.Reason, notice.UpdatedAt, notice.Timeline.Count, audit);
    });

    private static async Task ShouldBeNotSavedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeGreaterThanOrEqualTo(500, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("Nothing was changed");
        problem.GetProperty("detail").GetString()!.ShouldContain("audit record");
    }

    /// <summary>
    /// Makes every insert into <c>audit_log</c> fail, as a full disk or a lost permission would,
    /// until disposed. The trigger is the database's own refusal: nothing in the service is stubbed.
    /// </summary>
    private async Task<IAsyncDisposable> AuditDownAsync()
    {
        await Host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is down'); END;"));
        return new Restore(() => Host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_down;")));
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }

    private Task<int> CountNoticesAsync() => Host.WithDbAsync(db => db.Notices.CountAsync());

    private Task<int> CountAuditAsync() => Host.WithDbAsync(db => db.Audit.CountAsync());

    private Task<NoticeStatus> StatusAsync(long id) =>
        Host.WithDbAsync(db => db.Notices.AsNoTracking().Where(n => n.Id == id).Select(n => n.Status).FirstAsync());
}
