using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.AdminUi;
using CorpNotifier.Auth;
using CorpNotifier.Contracts;
using CorpNotifier.Tests.Admin;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>
/// The console in Russian, with the glossary's words: the ledger stores each timeline step as an
/// English sentence (the API shows it so), and the console tells every step it writes again from
/// its type and data, in the console's language; an operator's cancel and an event's dequeue are
/// never called by each other's name; statuses are the API's.
/// </summary>
public sealed class ConsoleWordsTests : OperatorsHostTest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Every_step_the_ledger_writes_is_told_again_in_Russian_and_none_is_shown_as_stored()
    {
        var ids = await LettersOfEveryStepAsync();
        var russian = Russian();
        var types = new HashSet<string>();

        foreach (var id in ids)
        {
            var detail = (await OperatorApi.GetFromJsonAsync<NoticeDetailView>($"/api/v1/notices/{id}", Json))!;
            foreach (var step in detail.Timeline)
            {
                types.Add(step.Type);
                var words = LetterWords.Step(russian, step, detail.Notice);
                if (step.Detail is not null)
                {
                    words.Detail.ShouldNotBe(step.Detail, $"letter {id}, step {step.Type}: the stored sentence shown as it is");
                }
            }
        }

        types.ShouldBe(["created", "claimed", "recipient_accepted", "sent", "dequeued", "restored", "shadowed", "rejected", "attempt_failed"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_Russian_letter_page_says_who_cancelled_and_which_event_dequeued_in_Russian()
    {
        var cancelled = await ManualIdAsync("client-1", Host.Clock.GetUtcNow().AddDays(1));
        (await OperatorApi.DeleteAsync($"/api/v1/notices/{cancelled}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var dequeued = await DequeuedByAnEventAsync();
        using var browser = ConsoleBrowser.Open(Host, "ru");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Viewer));

        var byOperator = Text(await browser.GetStringAsync($"/admin/letters/{cancelled}"));
        var byEvent = Text(await browser.GetStringAsync($"/admin/letters/{dequeued}"));

        byOperator.ShouldContain("снято с очереди", customMessage: "the status as the API names it");
        byOperator.ShouldContain("Отменено — оператором test-operator");
        byOperator.ShouldContain("ручная отправка");
        byOperator.ShouldNotContain("Снято с очереди — событием");
        byEvent.ShouldContain("Снято с очереди — событием");
        byEvent.ShouldNotContain("оператором");
        foreach (var page in new[] { byOperator, byEvent })
        {
            foreach (var english in new[] { "cancelled by", "dequeued by", ", due ", "manual by", "by ContractChanged", "attempt ", " accepted" })
            {
                page.ShouldNotContain(english, Case.Sensitive, $"'{english}' is the ledger's English");
            }
        }
    }

    [Fact]
    public async Task A_refused_action_is_worded_in_the_console_s_language()
    {
        var sent = await ManualIdAsync("client-1", sendAt: null);
        await Eventually.MatchAsync(() => StatusAsync(sent), s => s == "sent", "the letter to be sent");
        using var browser = ConsoleBrowser.Open(Host, "ru");
        await ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(Roles.Operator));
        var page = await browser.GetStringAsync($"/admin/letters/{sent}");

        using var cancel = await ConsoleBrowser.PostFormAsync(browser, $"/admin/letters/{sent}/cancel", ConsoleBrowser.Token(page));
        cancel.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        cancel.Headers.Location!.OriginalString.ShouldBe($"/admin/letters/{sent}?problem=not_pending");
        var refused = Text(await browser.GetStringAsync(cancel.Headers.Location.OriginalString));

        refused.ShouldContain("Отменить можно только ожидающее письмо.");
    }

    /// <summary>Letters whose timelines hold every step the ledger writes in the embedded default (no broker, no lease lost).</summary>
    private async Task<List<long>> LettersOfEveryStepAsync()
    {
        var sent = await ManualIdAsync("client-1", sendAt: null);
        var restored = await ManualIdAsync("client-1", Host.Clock.GetUtcNow().AddDays(1));
        (await OperatorApi.DeleteAsync($"/api/v1/notices/{restored}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await OperatorApi.PostAsync($"/api/v1/notices/{restored}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var dequeued = await DequeuedByAnEventAsync();
        var unknownClient = await ManualIdAsync("client-nobody-knows", sendAt: null);
        await Eventually.MatchAsync(() => StepsAsync(unknownClient), steps => steps.Contains("attempt_failed"), "a failed attempt");
        await Eventually.MatchAsync(() => StatusAsync(sent), s => s == "sent", "the letter to be sent");

        await ChangeSettingsAsync(mode: "Shadow", enabled: true);
        var shadowed = await ManualIdAsync("client-1", sendAt: null);
        await Eventually.MatchAsync(() => StatusAsync(shadowed), s => s == "shadowed", "the shadowed letter");
        await ChangeSettingsAsync(mode: "Live", enabled: false);
        var rejected = await ManualIdAsync("client-1", sendAt: null);
        await Eventually.MatchAsync(() => StatusAsync(rejected), s => s == "rejected", "the rejected letter");
        return [sent, restored, dequeued, unknownClient, shadowed, rejected];
    }

    /// <summary>A prepaid offer's first reminder, dequeued when the offer is accepted.</summary>
    private async Task<long> DequeuedByAnEventAsync()
    {
        var offer = Host.Events.Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Prepaid, IsOffer = true, Services = ["taxi"] }, "contract-offer");
        await Host.PostAndWaitAsync(offer);
        await Host.PostAndWaitAsync(Host.Events.Contract("client-1", offer.New, offer.New with { OfferAccepted = true }, "contract-offer"));
        return (await Host.NoticesAsync("client-1")).Single(n => n.Kind == "FirstRemindPrepaidNotice").Id;
    }

    private async Task ChangeSettingsAsync(string mode, bool enabled)
    {
        using var current = await AdminApi.GetAsync("/api/v1/settings/notices/LowBalanceNotice");
        var view = (await current.Content.ReadFromJsonAsync<NoticeSettingsView>(Json))!;
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/settings/notices/LowBalanceNotice")
        {
            Content = JsonContent.Create(new { enabled, mode, offset = view.Offset, slugs = view.Slugs, extraRecipients = view.ExtraRecipients }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        using var response = await AdminApi.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<long> ManualIdAsync(string clientId, DateTimeOffset? sendAt) => (await ManualAsync(clientId, sendAt)).Id;

    private async Task<string> StatusAsync(long id) =>
        (await OperatorApi.GetFromJsonAsync<NoticeDetailView>($"/api/v1/notices/{id}", Json))!.Notice.Status;

    private async Task<List<string>> StepsAsync(long id) =>
        [.. (await OperatorApi.GetFromJsonAsync<NoticeDetailView>($"/api/v1/notices/{id}", Json))!.Timeline.Select(t => t.Type)];

    /// <summary>A page as a person reads it: its text, without tags, spaces collapsed.</summary>
    private static string Text(string html) =>
        System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ");

    private static UiText Russian()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = "ru";
        return new UiText(new Microsoft.AspNetCore.Http.HttpContextAccessor { HttpContext = context });
    }
}
