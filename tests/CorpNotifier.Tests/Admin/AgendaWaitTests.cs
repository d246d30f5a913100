using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Contracts;
using CorpNotifier.Tests.AdminUi;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>
/// The agenda and a letter say when a letter not yet sent is due in its recipient's time, and why it
/// waits: its kind's delay, the send window (moved into it when planned, or held for it when taken
/// outside it), a retry after a failed attempt, or an operator's chosen moment. The console shows the
/// same in the reader's language, with UTC beside the local time.
/// </summary>
public sealed class AgendaWaitTests
{
    private static readonly Dictionary<string, string?> WithWindows = new() { ["SendWindows:Enabled"] = "true" };
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_letter_moved_into_the_window_is_due_at_09_00_in_the_client_s_zone_and_waits_for_the_window()
    {
        using var host = new TestHost(WithWindows);
        // Monday 7 December 2026, 02:30 Moscow: three days later, 02:30, moves to 09:00 (06:00 UTC).
        host.Clock.SetTo(At(2026, 12, 6, 23, 30));
        await ActivateAsync(host, "Europe/Moscow", "rus");
        using var viewer = host.Client(Roles.Viewer);

        var agenda = await AgendaAsync(viewer);
        var letter = agenda.Single(n => n.Kind == "PostpaidFirstTakeARideNotice");

        letter.SendAt.ShouldBe(At(2026, 12, 10, 6, 0));
        letter.SendAtLocal.ShouldBe("2026-12-10 09:00");
        letter.TimeZone.ShouldBe("Europe/Moscow");
        letter.WaitsFor.ShouldBe(WaitReasons.Window);
        var second = agenda.Single(n => n.Kind == "PostpaidSecondTakeARideNotice");
        (second.SendAtLocal, second.TimeZone, second.WaitsFor).ShouldBe(("2026-12-14 09:00", "Europe/Moscow", WaitReasons.Window));
        var detail = (await viewer.GetFromJsonAsync<NoticeDetailView>($"/api/v1/notices/{letter.Id}", Json))!.Notice;
        (detail.SendAtLocal, detail.TimeZone, detail.WaitsFor).ShouldBe(("2026-12-10 09:00", "Europe/Moscow", WaitReasons.Window));
        var notices = (await viewer.GetFromJsonAsync<List<NoticeView>>("/api/v1/clients/client-42/notices", Json))!;
        notices.Single(n => n.Id == letter.Id).WaitsFor.ShouldBe(WaitReasons.Window, "a client's letters say it too");

        using var english = await SignedInAsync(host, null);
        var clientPage = Text(await english.GetStringAsync("/admin/clients/client-42"));
        clientPage.ShouldContain("2026-12-10 09:00 Europe/Moscow (06:00 UTC) waits for the send window");
        var letterPage = Text(await english.GetStringAsync($"/admin/letters/{letter.Id}"));
        letterPage.ShouldContain("Due 2026-12-10 09:00 Europe/Moscow (06:00 UTC) — waits for the send window");

        using var russian = await SignedInAsync(host, "ru");
        Text(await russian.GetStringAsync("/admin/clients/client-42")).ShouldContain("2026-12-10 09:00 Europe/Moscow (06:00 UTC) ждёт окна отправки");
        Text(await russian.GetStringAsync($"/admin/letters/{letter.Id}")).ShouldContain("Срок 2026-12-10 09:00 Europe/Moscow (06:00 UTC) — ждёт окна отправки");
    }

    [Fact]
    public async Task A_letter_due_inside_the_window_waits_for_its_delay_and_once_held_by_a_late_sweep_for_the_window()
    {
        using var host = new TestHost(WithWindows);
        // Monday 7 December 2026, 18:59 Almaty (UTC+5): three days later, Thursday 18:59, is inside the window.
        host.Clock.SetTo(At(2026, 12, 7, 13, 59));
        await ActivateAsync(host, "Asia/Almaty", "kaz");
        using var viewer = host.Client(Roles.Viewer);

        var planned = (await AgendaAsync(viewer)).Single(n => n.Kind == "PostpaidFirstTakeARideNotice");
        (planned.SendAtLocal, planned.TimeZone, planned.WaitsFor).ShouldBe(("2026-12-10 18:59", "Asia/Almaty", WaitReasons.Delay));

        // The sweep comes only at 19:05 Almaty time: the letter is held until Friday 09:00 Almaty.
        host.Clock.Advance(At(2026, 12, 10, 14, 5) - host.Clock.GetUtcNow());
        var held = await Eventually.MatchAsync(
            () => AgendaAsync(viewer),
            agenda => agenda.Single(n => n.Id == planned.Id).SendAt == At(2026, 12, 11, 4, 0),
            "the letter to be held for the window");
        var heldLetter = held.Single(n => n.Id == planned.Id);
        (heldLetter.SendAtLocal, heldLetter.TimeZone, heldLetter.WaitsFor).ShouldBe(("2026-12-11 09:00", "Asia/Almaty", WaitReasons.Window));

        using var english = await SignedInAsync(host, null);
        var letterPage = Text(await english.GetStringAsync($"/admin/letters/{planned.Id}"));
        letterPage.ShouldContain("Held for the send window — until 2026-12-11 09:00 Asia/Almaty");
        letterPage.ShouldContain("2026-12-11 09:00 Asia/Almaty (04:00 UTC) — waits for the send window");
        using var russian = await SignedInAsync(host, "ru");
        Text(await russian.GetStringAsync($"/admin/letters/{planned.Id}")).ShouldContain("Ждёт окна отправки — до 2026-12-11 09:00 Asia/Almaty");
    }

    [Fact]
    public async Task A_letter_after_a_failed_attempt_waits_to_retry_and_a_letter_an_operator_timed_waits_for_that_time()
    {
        using var host = new TestHost(WithWindows);
        await host.PostAndWaitAsync(host.Events.Profile("client-42", ["finance@acme.example"]) with { TimeZone = "Asia/Yekaterinburg", Country = "rus" });
        using var operatorApi = host.Client(Roles.Operator);
        var retried = await ManualAsync(operatorApi, "client-nobody-knows", sendAt: null);
        var later = host.Clock.GetUtcNow().AddDays(2);
        var scheduled = await ManualAsync(operatorApi, "client-42", later);

        var retry = await Eventually.MatchAsync(
            async () => (await operatorApi.GetFromJsonAsync<NoticeDetailView>($"/api/v1/notices/{retried.Id}", Json))!,
            d => d.Timeline.Any(t => t.Type == "attempt_failed") && d.Notice.Status == "pending",
            "a failed attempt");
        retry.Notice.WaitsFor.ShouldBe(WaitReasons.Retry);
        retry.Notice.SendAtLocal.ShouldBeNull("the client directory does not know the client: its zone is not guessed");

        var agenda = (await operatorApi.GetFromJsonAsync<List<NoticeView>>("/api/v1/clients/client-42/agenda", Json))!;
        var timed = agenda.ShouldHaveSingleItem();
        timed.Id.ShouldBe(scheduled.Id);
        timed.WaitsFor.ShouldBe(WaitReasons.Scheduled);
        timed.TimeZone.ShouldBe("Asia/Yekaterinburg");
        timed.SendAtLocal.ShouldBe(later.ToOffset(TimeSpan.FromHours(5)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        using var english = await SignedInAsync(host, null);
        Text(await english.GetStringAsync($"/admin/letters/{retried.Id}")).ShouldContain("— waits to try again after a failed attempt");
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>Client 42 in <paramref name="timeZone"/>, and its postpaid contract activated now: a take-a-ride letter three days later.</summary>
    private static async Task ActivateAsync(TestHost host, string timeZone, string country)
    {
        var at = host.Clock.GetUtcNow();
        await host.PostAndWaitAsync(host.Events.Profile("client-42", ["finance@acme.example"], eventId: "profile", at: at) with { TimeZone = timeZone, Country = country });
        var inactive = new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] };
        await host.PostAndWaitAsync(host.Events.Contract("client-42", inactive, inactive with { IsActive = true }, eventId: "activation", at: at));
    }

    private static async Task<List<NoticeView>> AgendaAsync(HttpClient viewer) =>
        (await viewer.GetFromJsonAsync<List<NoticeView>>("/api/v1/clients/client-42/agenda", Json))!;

    private static async Task<NoticeView> ManualAsync(HttpClient operatorApi, string clientId, DateTimeOffset? sendAt)
    {
        using var response = await operatorApi.PostAsJsonAsync($"/api/v1/clients/{clientId}/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "k-1",
            args = new { old_balance = "150", new_balance = "5", currency = "RUB" },
            sendAt,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NoticeView>(Json))!;
    }

    private static async Task<HttpClient> SignedInAsync(TestHost host, string? language)
    {
        var browser = ConsoleBrowser.Open(host, language);
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));
        return browser;
    }

    /// <summary>A page as a person reads it: its text, without tags, spaces collapsed.</summary>
    private static string Text(string html) =>
        System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ");
}
