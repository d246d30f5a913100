using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Integration;

/// <summary>A kind's frequency cap: at most so many letters per key and period; the rest end <c>rejected</c> as <c>capped</c>.</summary>
public sealed class FrequencyCapTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TestHost _host = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = _host.Client(Roles.Admin);
        await _host.PostAndWaitAsync(_host.Events.Profile("client-42", ["billing@acme.example"]));
        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-42"));
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Ten_low_balance_crossings_within_an_hour_make_one_letter_and_nine_capped()
    {
        var meter = _host.Meter;
        for (var i = 0; i < 10; i++)
        {
            await CrossAsync(TestEvents.DefaultContractId, $"down-{i}");
        }

        var notices = await LowBalanceAsync(10);
        var sent = notices.Where(n => n.Status == NoticeStatus.Sent).ShouldHaveSingleItem();
        var capped = notices.Where(n => n.Status == NoticeStatus.Rejected).ToList();
        capped.Count.ShouldBe(9);
        capped.ShouldAllBe(n => n.ReasonCode == ReasonCodes.Capped && n.Reason == $"1 LowBalanceNotice per contract within 24 h already (notice {sent.Id})");
        var timeline = await _host.WithDbAsync(db => db.Timeline.AsNoTracking().Where(t => t.NoticeId == capped[0].Id).OrderBy(t => t.Id).ToListAsync());
        timeline.Select(t => t.Type).ShouldBe([TimelineEntryType.Created, TimelineEntryType.Rejected]);
        timeline[1].Detail.ShouldBe($"capped: 1 LowBalanceNotice per contract within 24 h already (notice {sent.Id})");
        _host.Letters().ShouldHaveSingleItem();
        meter.Count("corp_notifier.letters", ("kind", "LowBalanceNotice"), ("outcome", "rejected")).ShouldBe(9);

        var events = await _host.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.EventId.StartsWith("down-")).Select(e => e.Outcome).ToListAsync());
        events.Count(o => o!.Contains("capped 1", StringComparison.Ordinal)).ShouldBe(9);

        // The letters' days, from the first one created to now: a run near midnight (UTC) spans two.
        var from = DateOnly.FromDateTime(notices.Min(n => n.CreatedAt).UtcDateTime);
        var to = DateOnly.FromDateTime(_host.Clock.GetUtcNow().UtcDateTime);
        var report = await _admin.GetFromJsonAsync<List<ShadowReportRow>>($"/api/v1/reports/would-send?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&kind=LowBalanceNotice", Json) ?? [];
        report.ShouldAllBe(r => r.Kind == "LowBalanceNotice");
        (report.Sum(r => r.Shadowed), report.Sum(r => r.Sent), report.Sum(r => r.Rejected), report.Sum(r => r.Failed)).ShouldBe((0, 1, 9, 0));
    }

    [Fact]
    public async Task A_cap_per_client_counts_the_letters_of_all_its_contracts()
    {
        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-42", "contract-8"));
        await PutCapAsync(new { count = 2, per = "client", period = "1.00:00:00" });

        await CrossAsync(TestEvents.DefaultContractId, "down-a");
        await CrossAsync("contract-8", "down-b");
        await CrossAsync("contract-8", "down-c");

        var notices = await LowBalanceAsync(3);
        notices.Select(n => (n.ContractId, n.Status is NoticeStatus.Rejected, n.ReasonCode)).ShouldBe(
        [
            (TestEvents.DefaultContractId, false, null),
            ("contract-8", false, null),
            ("contract-8", true, ReasonCodes.Capped),
        ]);
        notices[2].Reason.ShouldBe($"2 LowBalanceNotice per client within 24 h already (notice {notices[1].Id})");
    }

    [Fact]
    public async Task A_cap_allows_the_next_letter_once_its_period_is_over()
    {
        await CrossAsync(TestEvents.DefaultContractId, "down-1");
        _host.Clock.Advance(TimeSpan.FromHours(23));
        await CrossAsync(TestEvents.DefaultContractId, "down-2");
        _host.Clock.Advance(TimeSpan.FromHours(1));
        await CrossAsync(TestEvents.DefaultContractId, "down-3");

        var notices = await LowBalanceAsync(3, done: 3);
        notices.Select(n => n.Status).ShouldBe([NoticeStatus.Sent, NoticeStatus.Rejected, NoticeStatus.Sent]);
    }

    [Fact]
    public async Task An_operator_removing_the_cap_lets_every_crossing_make_its_letter()
    {
        var view = await PutCapAsync(new { enabled = false });
        view.Cap.ShouldBeNull();
        (await _admin.GetFromJsonAsync<NoticeSettingsView>("/api/v1/settings/notices/LowBalanceNotice", Json))!.Cap.ShouldBeNull();

        for (var i = 0; i < 3; i++)
        {
            await CrossAsync(TestEvents.DefaultContractId, $"down-{i}");
        }

        (await LowBalanceAsync(3, done: 3)).ShouldAllBe(n => n.Status == NoticeStatus.Sent);
    }

    [Fact]
    public async Task A_letter_dequeued_or_rejected_does_not_count_towards_the_cap()
    {
        await CrossAsync(TestEvents.DefaultContractId, "down-1");
        var first = (await LowBalanceAsync(1)).Single();
        await _host.WithDbAsync(db => db.Notices.Where(n => n.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NoticeStatus.Failed)));

        await CrossAsync(TestEvents.DefaultContractId, "down-2");

        (await LowBalanceAsync(2)).Last().Status.ShouldBe(NoticeStatus.Sent);
    }

    [Fact]
    public async Task A_cap_per_recipient_counts_a_letter_with_its_own_addresses_by_them_whatever_its_client()
    {
        await PutCapAsync(new { count = 1, per = "recipient", period = "1.00:00:00" });

        var first = await ScheduleAsync("client-a", "manager@corp.example");
        var sameAddress = await ScheduleAsync("client-b", "boss@corp.example", "manager@corp.example");
        var otherAddress = await ScheduleAsync("client-c", "other@corp.example");

        (first.Status, otherAddress.Status).ShouldBe((NoticeStatus.Pending, NoticeStatus.Pending));
        (sameAddress.Status, sameAddress.ReasonCode).ShouldBe((NoticeStatus.Rejected, ReasonCodes.Capped));
        sameAddress.Reason.ShouldBe($"1 LowBalanceNotice per recipient within 24 h already (notice {first.Id})");
    }

    /// <summary>A letter with its own addresses, scheduled as an event's rules would, a day ahead.</summary>
    private async Task<Notice> ScheduleAsync(string clientId, params string[] recipients)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CorpNotifier.Persistence.NoticesDbContext>();
        var scheduler = scope.ServiceProvider.GetRequiredService<NoticeScheduler>();
        var now = _host.Clock.GetUtcNow();
        var evt = _host.Events.Balance(clientId, 150, 50);
        db.Events.Add(new EventRecord { EventId = evt.EventId, Type = nameof(BalanceChanged), ClientId = clientId, OccurredAt = now, ReceivedAt = now, Payload = "{}" });
        var action = new EnqueueNotice("LowBalanceNotice", null, now.AddDays(1), new Dictionary<string, object?>()) { ClientId = clientId, Recipients = recipients };
        var settings = await scope.ServiceProvider.GetRequiredService<INoticeSettingsSource>().GetAllAsync(default);
        var result = await scheduler.ApplyAsync(evt, [action], settings, now, TimeSpan.FromMinutes(2), default);
        await db.SaveChangesAsync();
        return result.Created.ShouldHaveSingleItem();
    }

    /// <summary>
    /// The balance falls below the low-balance threshold (100) and comes back, two minutes apart.
    /// The clock moves only once the letter is done: a move past its lease while it is being sent
    /// would hand it out again.
    /// </summary>
    private async Task CrossAsync(string contractId, string eventId)
    {
        await _host.PostAndWaitAsync(_host.Events.Balance("client-42", 150, 50, contractId, eventId: eventId));
        await Eventually.MatchAsync(
            () => _host.NoticesAsync("client-42"),
            n => n.Any(x => x.EventId == eventId) && n.All(x => x.Status is not (NoticeStatus.Pending or NoticeStatus.Sending)),
            $"the letter of {eventId}, done");
        _host.Clock.Advance(TimeSpan.FromMinutes(2));
        await _host.PostAndWaitAsync(_host.Events.Balance("client-42", 50, 150, contractId, eventId: $"{eventId}-up"));
        _host.Clock.Advance(TimeSpan.FromMinutes(2));
    }

    private async Task<List<Notice>> LowBalanceAsync(int count, int? done = null) =>
        [
            .. (await Eventually.MatchAsync(
                () => _host.NoticesAsync("client-42"),
                n => n.Count(x => x.Kind == "LowBalanceNotice") == count
                    && n.Count(x => x.Kind == "LowBalanceNotice" && x.Status is not (NoticeStatus.Pending or NoticeStatus.Sending)) == (done ?? count),
                $"{count} low-balance letters, done"))
                .Where(n => n.Kind == "LowBalanceNotice").OrderBy(n => n.Id),
        ];

    private async Task<NoticeSettingsView> PutCapAsync(object cap)
    {
        using var current = await _admin.GetAsync("/api/v1/settings/notices/LowBalanceNotice");
        var view = (await current.Content.ReadFromJsonAsync<NoticeSettingsView>(Json))!;
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/settings/notices/LowBalanceNotice")
        {
            Content = JsonContent.Create(new { view.Enabled, view.Mode, view.Offset, view.Slugs, view.ExtraRecipients, cap }),
        };
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        using var response = await _admin.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NoticeSettingsView>(Json))!;
    }
}
