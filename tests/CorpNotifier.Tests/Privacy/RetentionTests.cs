using System.Net;
using System.Net.Http.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Persistence;
using CorpNotifier.Privacy;
using CorpNotifier.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Privacy;

/// <summary>
/// Retention anonymises letters and events older than <c>Retention:Days</c>: addresses, arguments
/// and payloads go; statuses, kinds, times, counts and the timelines' steps stay; pending letters
/// and younger rows are not touched.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    // The nightly job is not to run while the test moves the clock by days: the test runs it itself.
    private readonly TestHost _host = new(new Dictionary<string, string?>
    {
        ["Retention:Days"] = "1",
        ["Retention:BatchSize"] = "10",
        ["Retention:Pause"] = "00:00:00",
        ["Retention:Schedule"] = "0 0 0 1 1 ? 2099",
    });

    public async Task InitializeAsync() => await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Letters_and_events_older_than_the_retention_lose_their_personal_data_and_keep_their_shape()
    {
        using var operatorApi = _host.Client(Roles.Operator);
        var sent = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            sent.Add(await ManualAsync(operatorApi, sendAt: null));
        }

        var pending = await ManualAsync(operatorApi, sendAt: _host.Clock.GetUtcNow().AddDays(10));
        await Eventually.MatchAsync(
            () => _host.WithDbAsync(db => db.Notices.CountAsync(n => sent.Contains(n.Id) && n.Status == NoticeStatus.Sent)),
            count => count == sent.Count,
            "the twelve letters sent");
        var stepsBefore = await StepsAsync();

        _host.Clock.Advance(TimeSpan.FromDays(2));
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1", ["young@clients.example"]));
        var report = (await RunAsync()).ShouldNotBeNull();

        report.Notices.ShouldBe(sent.Count, report.ToString());
        report.Events.ShouldBe(1);
        report.AuditRecords.ShouldBe(sent.Count + 1, "the manual sends' audit records, the pending letter's too");
        report.Batches.ShouldBe(5); // 10 + 2 letters, 1 event, 10 + 3 audit records
        var letters = await _host.NoticesAsync("client-1");
        letters.Where(n => sent.Contains(n.Id)).ShouldAllBe(n => n.Status == NoticeStatus.Sent && n.SentTo.Count == 0 && n.Args.Count == 0 && n.Kind == "LowBalanceNotice" && n.SentAt != null);
        var waiting = letters.Single(n => n.Id == pending);
        waiting.Status.ShouldBe(NoticeStatus.Pending);
        waiting.Args.Count.ShouldBeGreaterThan(0);
        (await StepsAsync()).ShouldBe(stepsBefore);
        var steps = await _host.WithDbAsync(db => db.Timeline.AsNoTracking().Where(t => sent.Contains(t.NoticeId) && t.Detail != null).Select(t => t.Detail!).ToListAsync());
        steps.ShouldAllBe(d => !d.Contains('@'));

        var events = await _host.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.ClientId == "client-1" && e.Type == "ClientProfileChanged").OrderBy(e => e.ReceivedAt).ToListAsync());
        events[0].Payload.ShouldBe(Retention.ExpiredPayload);
        events[1].Payload.ShouldContain("young@clients.example");
        var audit = await _host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.Action == AuditActions.ManualSend).ToListAsync());
        audit.Count.ShouldBe(sent.Count + 1);
        audit.ShouldAllBe(a => a.After == null && a.Before == null);

        var again = (await RunAsync()).ShouldNotBeNull();
        again.Rows.ShouldBe(0, "a second run finds nothing left to do");
    }

    [Fact]
    public async Task A_run_stopped_before_the_letters_are_marked_leaves_them_to_the_next_run_which_clears_them_all()
    {
        var holder = new FailingOnceHolder();
        await using var host = new TestHost(
            new Dictionary<string, string?>
            {
                ["Retention:Days"] = "1",
                ["Retention:BatchSize"] = "10",
                ["Retention:Pause"] = "00:00:00",
                ["Retention:Schedule"] = "0 0 0 1 1 ? 2099",
            },
            services => services.AddScoped<ILetterDataRetention>(_ => holder));
        await host.PostAndWaitAsync(host.Events.Profile("client-1"));
        using var operatorApi = host.Client(Roles.Operator);
        var sent = new List<long> { await ManualAsync(operatorApi, sendAt: null), await ManualAsync(operatorApi, sendAt: null) };
        await Eventually.MatchAsync(
            () => host.WithDbAsync(db => db.Notices.CountAsync(n => sent.Contains(n.Id) && n.Status == NoticeStatus.Sent)),
            count => count == sent.Count,
            "the two letters sent");
        host.Clock.Advance(TimeSpan.FromDays(2));

        async Task<RetentionReport?> RunOnAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Retention>().RunAsync(CancellationToken.None);
        }

        await Should.ThrowAsync<InvalidOperationException>(RunOnAsync);
        (await host.NoticesAsync("client-1")).Where(n => sent.Contains(n.Id)).ShouldAllBe(n => n.SentTo.Count > 0 && n.Args.Count > 0, "no letter marked while one of its holders failed");

        var report = (await RunOnAsync()).ShouldNotBeNull();

        report.Notices.ShouldBe(sent.Count);
        report.LockP99.ShouldBeLessThanOrEqualTo(report.LongestLock);
        holder.Batches.ShouldContain(ids => sent.All(ids.Contains), "the holder asked again for the same letters");
        (await host.NoticesAsync("client-1")).Where(n => sent.Contains(n.Id)).ShouldAllBe(n => n.SentTo.Count == 0 && n.Args.Count == 0);
    }

    [Fact]
    public async Task Retention_switched_off_does_nothing()
    {
        await using var host = new TestHost(new Dictionary<string, string?> { ["Retention:Days"] = "0" });
        await using var scope = host.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<Retention>().RunAsync(CancellationToken.None)).ShouldBeNull();
    }

    private async Task<RetentionReport?> RunAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Retention>().RunAsync(CancellationToken.None);
    }

    private Task<Dictionary<long, int>> StepsAsync() =>
        _host.WithDbAsync(db => db.Timeline.AsNoTracking().GroupBy(t => t.NoticeId).ToDictionaryAsync(g => g.Key, g => g.Count()));

    private static async Task<long> ManualAsync(HttpClient api, DateTimeOffset? sendAt)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/clients/client-1/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "k-1",
            args = new { old_balance = "150", new_balance = "5", currency = "RUB" },
            sendAt,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NoticeView>())!.Id;
    }

    /// <summary>A holder of letter data that fails on its first real batch (the warm-up's ids name no letter), as a run stopped half-way would.</summary>
    private sealed class FailingOnceHolder : ILetterDataRetention
    {
        private int _failed;

        /// <summary>The batches it cleared.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<IReadOnlyCollection<long>> Batches { get; } = new();

        public Task<int> AnonymiseAsync(IReadOnlyCollection<long> noticeIds, string removedText, CancellationToken cancellationToken)
        {
            if (noticeIds.All(id => id < 0))
            {
                return Task.FromResult(0);
            }

            if (Interlocked.Exchange(ref _failed, 1) == 0)
            {
                throw new InvalidOperationException("the run stops here");
            }

            Batches.Enqueue(noticeIds.ToList());
            return Task.FromResult(noticeIds.Count);
        }
    }
}
