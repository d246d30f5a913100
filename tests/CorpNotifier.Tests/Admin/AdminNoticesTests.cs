using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Admin;

/// <summary>Operators see and steer letters: history, agenda, events, cancel, restore, re-send, manual send, audit.</summary>
public sealed class AdminNoticesTests : OperatorsHostTest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Fact]
    public async Task History_pages_stay_stable_while_letters_are_added()
    {
        for (var i = 0; i < 25; i++)
        {
            await ManualAsync("client-1", sendAt: Later);
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await ViewerApi.GetFromJsonAsync<NoticePage>($"/api/v1/notices?clientId=client-1&limit=10{(cursor is null ? "" : $"&cursor={cursor}")}", Json);
            seen.AddRange(page!.Items.Select(n => n.Id));
            cursor = page.NextCursor;
            await ManualAsync("client-1", sendAt: Later); // inserted between pages: must not shift them
        }
        while (cursor is not null);

        seen.Count.ShouldBe(25);
        seen.ShouldBeUnique();
        seen.ShouldBe(seen.OrderByDescending(id => id).ToList());
        var all = await Host.NoticesAsync("client-1");
        seen.ShouldBe(all.Take(25).Select(n => n.Id).OrderByDescending(id => id).ToList());
    }

    [Fact]
    public async Task History_filters_by_kind_status_and_client_and_refuses_bad_filters()
    {
        var pending = await ManualAsync("client-1", sendAt: Later);
        await ManualAsync("client-1");
        await WaitStatusAsync(pending.Id + 1, NoticeStatus.Sent);

        var sent = await ViewerApi.GetFromJsonAsync<NoticePage>("/api/v1/notices?clientId=client-1&status=sent&kind=LowBalanceNotice", Json);
        sent!.Items.ShouldHaveSingleItem().Id.ShouldBe(pending.Id + 1);
        (await ViewerApi.GetFromJsonAsync<NoticePage>("/api/v1/notices?clientId=nobody", Json))!.Items.ShouldBeEmpty();

        using var bad = await ViewerApi.GetAsync("/api/v1/notices?status=lost&limit=0&cursor=zzz");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        errors.TryGetProperty("status", out _).ShouldBeTrue();
        errors.TryGetProperty("limit", out _).ShouldBeTrue();
        errors.TryGetProperty("cursor", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_agenda_lists_what_is_scheduled_soonest_first_within_the_days_asked()
    {
        var inTwoDays = await ManualAsync("client-1", sendAt: Host.Clock.GetUtcNow().AddDays(2));
        var tomorrow = await ManualAsync("client-1", sendAt: Host.Clock.GetUtcNow().AddDays(1));
        await ManualAsync("client-1", sendAt: Host.Clock.GetUtcNow().AddDays(40));

        var agenda = await ViewerApi.GetFromJsonAsync<List<NoticeView>>("/api/v1/clients/client-1/agenda?days=7", Json);
        agenda!.Select(n => n.Id).ShouldBe([tomorrow.Id, inTwoDays.Id]);
    }

    [Fact]
    public async Task An_event_shows_the_letters_it_created_and_the_ones_it_dequeued()
    {
        var contract = Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Prepaid, IsOffer = true, Services = ["taxi"] });
        await PostAsync(contract);
        var accepted = Contract("client-1", contract.New, contract.New with { OfferAccepted = true });
        await PostAsync(accepted);

        var view = await ViewerApi.GetFromJsonAsync<EventView>($"/api/v1/events/{accepted.EventId}", Json);
        view!.Type.ShouldBe("ContractChanged");
        view.Outcome.ShouldBe("enqueued 2, dequeued 3");
        view.Created.Select(n => n.Kind).ShouldBe(["PrepaidFirstTakeARideNotice", "PrepaidSecondTakeARideNotice"], ignoreOrder: true);
        view.Dequeued.Select(n => n.Kind).ShouldBe(["FirstRemindPrepaidNotice", "SecondRemindPrepaidNotice", "ThirdRemindOfferNotice"], ignoreOrder: true);

        using var missing = await ViewerApi.GetAsync("/api/v1/events/never-sent");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cancelled_letter_is_never_sent_and_an_operator_can_restore_it_while_it_is_in_the_future()
    {
        var letter = await ManualAsync("client-1", sendAt: Host.Clock.GetUtcNow().AddHours(1));

        using (var cancel = await OperatorApi.DeleteAsync($"/api/v1/notices/{letter.Id}"))
        {
            cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
            var cancelled = (await cancel.Content.ReadFromJsonAsync<NoticeView>(Json))!;
            cancelled.Status.ShouldBe("dequeued");
            cancelled.DequeuedBy.ShouldBe("test-operator");
        }

        using (var again = await OperatorApi.DeleteAsync($"/api/v1/notices/{letter.Id}"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }

        Host.Clock.Advance(TimeSpan.FromMinutes(30));
        await Host.WaitForSweepsAsync();
        (await StatusAsync(letter.Id)).ShouldBe(NoticeStatus.Dequeued);

        using (var restore = await OperatorApi.PostAsync($"/api/v1/notices/{letter.Id}/restore", null))
        {
            restore.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        Host.Clock.Advance(TimeSpan.FromMinutes(31));
        await WaitStatusAsync(letter.Id, NoticeStatus.Sent);

        var detail = await ViewerApi.GetFromJsonAsync<NoticeDetailView>($"/api/v1/notices/{letter.Id}", Json);
        detail!.Timeline.Select(t => t.Type).ShouldBe(["created", "dequeued", "restored", "claimed", "recipient_accepted", "sent"]);
        detail.Timeline.Where(t => t.Type is "dequeued" or "restored").ShouldAllBe(t => t.Actor == "test-operator");
        var audit = await ViewerApi.GetFromJsonAsync<AuditPage>($"/api/v1/audit?targetType=notice&targetId={letter.Id}", Json);
        audit!.Items.Select(a => a.Action).ShouldBe([AuditActions.Restore, AuditActions.Cancel, AuditActions.ManualSend]);
        audit.Items.ShouldAllBe(a => a.Actor == "test-operator" && a.Role == Roles.Operator);
        audit.Items[1].Before!.Value.GetProperty("status").GetString().ShouldBe("pending");
        audit.Items[1].After!.Value.GetProperty("status").GetString().ShouldBe("dequeued");
    }

    [Fact]
    public async Task A_sent_letter_cannot_be_cancelled_and_a_letter_dequeued_by_an_event_or_past_due_cannot_be_restored()
    {
        var sent = await ManualAsync("client-1");
        await WaitStatusAsync(sent.Id, NoticeStatus.Sent);
        using (var cancel = await OperatorApi.DeleteAsync($"/api/v1/notices/{sent.Id}"))
        {
            cancel.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await cancel.Content.ReadAsStringAsync()).ShouldContain("is sent; only a pending notice can be cancelled");
        }

        var contract = Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Prepaid, IsOffer = true, Services = ["taxi"] });
        await PostAsync(contract);
        await PostAsync(Contract("client-1", contract.New, contract.New with { OfferAccepted = true }));
        var byEvent = (await Host.NoticesAsync("client-1")).First(n => n.Kind == "FirstRemindPrepaidNotice");
        using (var restore = await OperatorApi.PostAsync($"/api/v1/notices/{byEvent.Id}/restore", null))
        {
            restore.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await restore.Content.ReadAsStringAsync()).ShouldContain("not by an operator");
        }

        var soon = await ManualAsync("client-1", sendAt: Host.Clock.GetUtcNow().AddMinutes(5));
        (await OperatorApi.DeleteAsync($"/api/v1/notices/{soon.Id}")).Dispose();
        Host.Clock.Advance(TimeSpan.FromMinutes(10));
        using (var late = await OperatorApi.PostAsync($"/api/v1/notices/{soon.Id}/restore", null))
        {
            late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await late.Content.ReadAsStringAsync()).ShouldContain("has passed");
        }
    }

    [Fact]
    public async Task A_resend_is_a_new_letter_linked_to_the_original_through_the_same_send_path()
    {
        var original = await ManualAsync("client-1");
        await WaitStatusAsync(original.Id, NoticeStatus.Sent);

        using var response = await OperatorApi.PostAsync($"/api/v1/notices/{original.Id}/resend", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var resend = (await response.Content.ReadFromJsonAsync<NoticeView>(Json))!;
        resend.Origin.ShouldBe("resend");
        resend.ResendOfId.ShouldBe(original.Id);
        resend.Args.GetProperty("new_balance").GetString().ShouldBe("5");
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/notices/{resend.Id}");

        await WaitStatusAsync(resend.Id, NoticeStatus.Sent);
        Host.Letters().Length.ShouldBe(2);
    }

    [Fact]
    public async Task A_pending_letter_or_one_whose_secret_is_gone_cannot_be_resent()
    {
        var pending = await ManualAsync("client-1", sendAt: Later);
        using (var early = await OperatorApi.PostAsync($"/api/v1/notices/{pending.Id}/resend", null))
        {
            early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }

        await PostAsync(Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["taxi"] }) with { TemporaryPassword = "Secret-1" });
        var activation = await Eventually.MatchAsync(() => Host.NoticesAsync("client-1"), n => n.Any(x => x.Kind == "ActivateClientNotice" && x.Status == NoticeStatus.Sent), "the activation letter");
        using var resend = await OperatorApi.PostAsync($"/api/v1/notices/{activation.Single(n => n.Kind == "ActivateClientNotice").Id}/resend", null);
        resend.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await resend.Content.ReadAsStringAsync()).ShouldContain("temporary_password");
    }

    [Fact]
    public async Task A_manual_send_of_an_unknown_kind_or_without_its_arguments_is_refused_naming_what_is_wrong()
    {
        var cases = new (object Body, string Field)[]
        {
            (new { kind = "NoSuchNotice" }, "kind"),
            (new { args = new { } }, "kind"),
            (new { kind = "LowBalanceNotice", contractId = "k-1", args = new { old_balance = "150", currency = "RUB" } }, "args.new_balance"),
            (new { kind = "LowBalanceNotice", args = new { old_balance = "150", new_balance = "5", currency = "RUB" } }, "contractId"),
            (new { kind = "LowBalanceNotice", contractId = "k-1", args = new { old_balance = "150", new_balance = "5", currency = "RUB", coupon = "X" } }, "args.coupon"),
            (new { kind = "LowBalanceNotice", contractId = "k-1", args = new { old_balance = "150", new_balance = new[] { 5 }, currency = "RUB" } }, "args.new_balance"),
        };
        foreach (var (body, field) in cases)
        {
            using var response = await OperatorApi.PostAsJsonAsync("/api/v1/clients/client-1/notices", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, JsonSerializer.Serialize(body));
            var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
            errors.TryGetProperty(field, out _).ShouldBeTrue($"{field} in {errors}");
        }

        (await Host.NoticesAsync("client-1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refused_manual_send_names_each_field_in_english_for_the_api_and_in_russian_for_the_console()
    {
        var operations = Host.Services.CreateScope().ServiceProvider.GetRequiredService<NoticeOperations>();
        var request = new ManualSendRequest("LowBalanceNotice", null, new System.Text.Json.Nodes.JsonObject { ["old_balance"] = "150", ["coupon"] = "X" }, null);

        var result = await operations.ManualSendAsync("client-1", request, null, new Actor("ops", Roles.Operator), CancellationToken.None);

        var invalid = result.ShouldBeOfType<OperationResult.Invalid>();
        invalid.Errors.Select(e => (e.Key, e.Russian)).ShouldBe(
        [
            ("args.new_balance", "обязателен"),
            ("args.currency", "обязателен"),
            ("args.coupon", "не аргумент LowBalanceNotice; его аргументы: contract_id, external_id, old_balance, new_balance, currency"),
            ("contractId", "обязателен для LowBalanceNotice"),
        ], ignoreOrder: true);
        invalid.ByKey["args.coupon"].ShouldBe(["is not an argument of LowBalanceNotice; its arguments are contract_id, external_id, old_balance, new_balance, currency"]);
        (await Host.NoticesAsync("client-1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_manual_send_with_an_idempotency_key_creates_one_letter_however_often_it_is_retried()
    {
        var body = new { kind = "LowBalanceNotice", contractId = "k-1", args = new { old_balance = "150", new_balance = "5", currency = "RUB" } };
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients/client-1/notices") { Content = JsonContent.Create(body) };
        first.Headers.Add("Idempotency-Key", "ticket-4711");
        using var created = await OperatorApi.SendAsync(first);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);

        using var second = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients/client-1/notices") { Content = JsonContent.Create(body) };
        second.Headers.Add("Idempotency-Key", "ticket-4711");
        using var replayed = await OperatorApi.SendAsync(second);
        replayed.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await replayed.Content.ReadFromJsonAsync<NoticeView>(Json))!.Id.ShouldBe((await created.Content.ReadFromJsonAsync<NoticeView>(Json))!.Id);
        (await Host.NoticesAsync("client-1")).Count.ShouldBe(1);
    }

    private DateTimeOffset Later => Host.Clock.GetUtcNow().AddDays(10);

    private Task<NoticeStatus> StatusAsync(long id) =>
        Host.WithDbAsync(db => db.Notices.AsNoTracking().Where(n => n.Id == id).Select(n => n.Status).FirstAsync());

    private Task WaitStatusAsync(long id, NoticeStatus status) =>
        Eventually.MatchAsync(() => StatusAsync(id), s => s == status, $"letter {id} to be {status}");

    private Task PostAsync(IEvent evt) => Host.PostAndWaitAsync(evt);


    private ContractChanged Contract(string clientId, ContractState? from, ContractState to) => Host.Events.Contract(clientId, from, to);
}
