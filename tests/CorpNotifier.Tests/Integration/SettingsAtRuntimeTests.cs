using System.Net.Http.Json;
using CorpNotifier.Admin;
using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Integration;

/// <summary>Settings change what happens to letters not yet sent, without a restart; secrets never stay stored.</summary>
public sealed class SettingsAtRuntimeTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Settings_are_stored_per_notice_from_configuration_at_start()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Notices:FirstRemindPrepaidNotice:Offset"] = "1.00:00:00" });
        host.CreateClient().Dispose();
        var stored = await host.WithDbAsync(db => db.NoticeSettings.AsNoTracking().ToListAsync());
        stored.Select(s => s.Kind).ShouldBe(NoticeCatalog.Discover().Kinds, ignoreOrder: true);
        var first = stored.Single(s => s.Kind == "FirstRemindPrepaidNotice");
        first.Offset.ShouldBe(TimeSpan.FromDays(1));
        first.Source.ShouldBe(NoticeSettingsRecord.FromConfiguration);
        stored.Single(s => s.Kind == "SecondRemindPrepaidNotice").Offset.ShouldBe(TimeSpan.FromDays(5));
    }

    [Fact]
    public async Task Disabling_a_notice_rejects_its_pending_letters_and_enabling_it_again_lets_the_next_ones_go()
    {
        var first = await PendingRemindersAsync("client-1");
        await UpdateAsync("FirstRemindPrepaidNotice", s => s with { Enabled = false });

        _host.Clock.Advance(TimeSpan.FromDays(2));
        var done = await DoneAsync(first);
        done.Status.ShouldBe(NoticeStatus.Rejected);
        done.ReasonCode.ShouldBe(ReasonCodes.Disabled);

        var second = await PendingRemindersAsync("client-2");
        await UpdateAsync("FirstRemindPrepaidNotice", s => s with { Enabled = true });
        _host.Clock.Advance(TimeSpan.FromDays(2));
        (await DoneAsync(second)).Status.ShouldBe(NoticeStatus.Sent);
    }

    [Fact]
    public async Task Switching_a_pending_notice_to_shadow_mode_shadows_it_and_back_to_live_sends()
    {
        var first = await PendingRemindersAsync("client-1");
        await UpdateAsync("FirstRemindPrepaidNotice", s => s with { Mode = NoticeMode.Shadow });
        _host.Clock.Advance(TimeSpan.FromDays(2));
        var shadowed = await DoneAsync(first);
        shadowed.Status.ShouldBe(NoticeStatus.Shadowed);
        shadowed.SentTo.ShouldBe(["client-1@clients.example"]);
        _host.Letters().ShouldBeEmpty();

        var second = await PendingRemindersAsync("client-2");
        await UpdateAsync("FirstRemindPrepaidNotice", s => s with { Mode = NoticeMode.Live });
        _host.Clock.Advance(TimeSpan.FromDays(2));
        (await DoneAsync(second)).Status.ShouldBe(NoticeStatus.Sent);
        _host.Letters().Length.ShouldBe(1);
    }

    [Fact]
    public async Task A_changed_slug_applies_to_letters_already_pending()
    {
        var first = await PendingRemindersAsync("client-1");
        await UpdateAsync("FirstRemindPrepaidNotice", s => s with { Slugs = new Dictionary<string, string> { ["default"] = "second-remind-prepaid" } });
        _host.Clock.Advance(TimeSpan.FromDays(2));
        (await DoneAsync(first)).SentSlug.ShouldBe("second-remind-prepaid");
    }

    [Fact]
    public async Task Settings_are_read_again_only_when_stored_ones_changed_and_then_at_once_whoever_changed_them()
    {
        _host.CreateClient().Dispose();
        var first = await AllSettingsAsync();
        (await AllSettingsAsync()).ShouldBeSameAs(first);

        // Another instance's edit: the row changes under this instance's cache, with a new version.
        await _host.WithDbAsync(async db =>
        {
            var row = await db.NoticeSettings.SingleAsync(r => r.Kind == "LowBalanceNotice");
            row.Enabled = false;
            row.Version++;
            return await db.SaveChangesAsync();
        });

        var after = await AllSettingsAsync();
        after.ShouldNotBeSameAs(first);
        after["LowBalanceNotice"].Enabled.ShouldBeFalse();
        first["LowBalanceNotice"].Enabled.ShouldBeTrue();
        (await AllSettingsAsync()).ShouldBeSameAs(after);
    }

    [Fact]
    public async Task A_stale_settings_write_is_refused_and_every_change_is_kept_in_the_history()
    {
        _host.CreateClient().Dispose();
        await using var scope = _host.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<NoticeSettingsStore>();
        var current = (await store.GetVersionedAsync("LowBalanceNotice", default))!;
        var update = NoticeSettingsUpdate.From(current.Settings) with { Enabled = false, Mode = NoticeMode.Live, Offset = TimeSpan.Zero };

        var saved = await store.UpdateAsync("LowBalanceNotice", update, current.Version, "operator-1", default);
        saved.Version.ShouldBe(current.Version + 1);
        saved.Source.ShouldBe(NoticeSettingsRecord.FromApi);
        await Should.ThrowAsync<SettingsVersionConflictException>(() => store.UpdateAsync("LowBalanceNotice", update, current.Version, "operator-2", default));

        var history = await store.HistoryAsync("LowBalanceNotice", default);
        history.Select(h => h.ChangedBy).ShouldBe(["operator-1", NoticeSettingsRecord.FromConfiguration]);
    }

    [Fact]
    public async Task Settings_stored_before_windows_and_caps_existed_take_their_kinds_defaults_and_keep_an_operators_edit()
    {
        _host.CreateClient().Dispose();

        // As the migration leaves rows: no window days, no cap; one of them edited by an operator.
        await _host.WithDbAsync(db => db.NoticeSettings.Where(r => r.Kind == "LowBalanceNotice" || r.Kind == "LimitIsOverRemindNotice")
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.WindowDays, (WindowDays?)null).SetProperty(r => r.CapCount, (int?)null)
                .SetProperty(r => r.CapPer, (CapKey?)null).SetProperty(r => r.CapPeriod, (TimeSpan?)null)));
        await _host.WithDbAsync(db => db.NoticeSettings.Where(r => r.Kind == "LowBalanceNotice")
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Enabled, false).SetProperty(r => r.Source, NoticeSettingsRecord.FromApi).SetProperty(r => r.UpdatedBy, "anna")));
        var before = await AllSettingsAsync();
        before["LowBalanceNotice"].Cap.ShouldBe(new FrequencyCap(1, CapKey.Contract, TimeSpan.FromDays(1)), "a row without a window reads as its kind's defaults");

        await using (var scope = _host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NoticeSettingsStore>().SyncFromConfigurationAsync(default);
        }

        var rows = await _host.WithDbAsync(db => db.NoticeSettings.AsNoTracking().Where(r => r.Kind == "LowBalanceNotice" || r.Kind == "LimitIsOverRemindNotice").ToDictionaryAsync(r => r.Kind));
        var low = rows["LowBalanceNotice"];
        (low.WindowDays, low.CapCount, low.CapPer, low.CapPeriod).ShouldBe((WindowDays.Off, 1, CapKey.Contract, TimeSpan.FromDays(1)));
        (low.Enabled, low.Source).ShouldBe((false, NoticeSettingsRecord.FromApi), "the operator's edit stays");
        var remind = rows["LimitIsOverRemindNotice"];
        (remind.WindowStart, remind.WindowEnd, remind.WindowDays, remind.CapCount).ShouldBe((new TimeOnly(9, 0), new TimeOnly(19, 0), WindowDays.BusinessDays, (int?)null));
    }

    [Fact]
    public async Task A_temporary_password_reaches_the_letter_and_is_masked_in_the_stored_event_and_letter()
    {
        const string password = "Tmp-9f3K-pass";
        await PostAsync(Profile("client-1"));
        var activation = Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["taxi"] }) with { TemporaryPassword = password };
        await PostAsync(activation);

        var notice = await Eventually.MatchAsync(() => _host.NoticesAsync("client-1"), n => n.Any(x => x.Kind == "ActivateClientNotice" && x.Status == NoticeStatus.Sent), "the activation letter");
        var sent = notice.Single(n => n.Kind == "ActivateClientNotice");
        sent.Args["temporary_password"]!.GetValue<string>().ShouldBe("***");
        var stored = await _host.WithDbAsync(db => db.Events.AsNoTracking().FirstAsync(e => e.EventId == activation.EventId));
        stored.Payload.ShouldNotContain(password);
        stored.Payload.ShouldContain("\"temporaryPassword\":\"***\"");

        var letter = await MimeKit.MimeMessage.LoadAsync(_host.Letters().Single());
        letter.TextBody!.ShouldContain(password);
        letter.Subject!.ShouldNotContain(password);
    }

    [Fact]
    public async Task The_would_send_report_counts_shadowed_letters_per_kind_and_day_and_lists_them_as_csv()
    {
        await UpdateAsync("FirstRemindPrepaidNotice", s => s with { Mode = NoticeMode.Shadow });
        var first = await PendingRemindersAsync("client-1");
        var second = await PendingRemindersAsync("client-2");
        _host.Clock.Advance(TimeSpan.FromDays(2));
        await DoneAsync(first);
        await DoneAsync(second);
        var day = DateOnly.FromDateTime(_host.Clock.GetUtcNow().UtcDateTime);

        using var client = _host.Client(CorpNotifier.Auth.Roles.Viewer);
        var rows = await client.GetFromJsonAsync<List<ShadowReportRow>>($"/api/v1/reports/would-send?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        rows!.ShouldContain(new ShadowReportRow(day, "FirstRemindPrepaidNotice", 2, 0, 0, 0));

        var csv = await client.GetStringAsync($"/api/v1/reports/would-send/letters.csv?day={day:yyyy-MM-dd}&kind=FirstRemindPrepaidNotice");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("id,kind,client_id");
        lines.Length.ShouldBe(3);
        lines[1].ShouldContain("client-1@clients.example");
        lines[1].ShouldContain("\"{\"\"contract_id\"\":");
    }

    private async Task<long> PendingRemindersAsync(string clientId)
    {
        await PostAsync(Profile(clientId));
        await PostAsync(Contract(clientId, null, new ContractState { PaymentType = PaymentTypes.Prepaid, IsOffer = true, Services = ["taxi"] }));
        var notices = await Eventually.MatchAsync(() => _host.NoticesAsync(clientId), n => n.Any(x => x.Kind == "FirstRemindPrepaidNotice"), "the reminders");
        var first = notices.Single(n => n.Kind == "FirstRemindPrepaidNotice");
        first.Status.ShouldBe(NoticeStatus.Pending);
        return first.Id;
    }

    private async Task<IReadOnlyDictionary<string, EffectiveNoticeSettings>> AllSettingsAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NoticeSettingsStore>().GetAllAsync(default);
    }

    private async Task UpdateAsync(string kind, Func<NoticeSettingsUpdate, NoticeSettingsUpdate> change)
    {
        _host.CreateClient().Dispose();
        await using var scope = _host.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<NoticeSettingsStore>();
        var current = (await store.GetVersionedAsync(kind, default))!;
        var s = current.Settings;
        await store.UpdateAsync(kind, change(NoticeSettingsUpdate.From(s)), current.Version, "operator", default);
    }

    private async Task<Notice> DoneAsync(long id) =>
        await Eventually.MatchAsync(
            () => _host.WithDbAsync(db => db.Notices.AsNoTracking().FirstAsync(n => n.Id == id)),
            n => n.Status is not (NoticeStatus.Pending or NoticeStatus.Sending),
            $"letter {id} to be done");

    private Task PostAsync(IEvent evt) => _host.PostAndWaitAsync(evt);

    private ClientProfileChanged Profile(string clientId) => _host.Events.Profile(clientId);

    private ContractChanged Contract(string clientId, ContractState? from, ContractState to) => _host.Events.Contract(clientId, from, to, $"contract-{clientId}");
}
