using System.Net;
using System.Text;
using System.Text.Json;
using CorpNotifier.Deliveries;
using CorpNotifier.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Deliveries;

/// <summary>
/// The mailer's signed delivery events through the whole host (SQLite, the file mailer, whose
/// message id is the letter's file name): matched to the recipient's letter, shown on its timeline,
/// counted, told to the listeners; and every call that is not the mailer's refused with nothing changed.
/// </summary>
public sealed class DeliveryWebhookTests(DeliveryWebhookTests.Host host) : IClassFixture<DeliveryWebhookTests.Host>
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public sealed class Host : IDisposable
    {
        public RecordingListener Listener { get; } = new();

        public TestHost Value { get; }

        public Host()
        {
            Value = new TestHost(
                new Dictionary<string, string?> { ["Deliveries:Webhook:Secrets:0"] = Secret },
                services => services.AddSingleton<IDeliveryListener>(Listener));
        }

        public void Dispose() => Value.Dispose();
    }

    public sealed class RecordingListener : IDeliveryListener
    {
        public System.Collections.Concurrent.ConcurrentQueue<DeliveryReport> Reports { get; } = new();

        public Task OnDeliveryAsync(DeliveryReport report, CancellationToken cancellationToken)
        {
            Reports.Enqueue(report);
            return Task.CompletedTask;
        }
    }

    private TestHost App => host.Value;

    private static int _clients;

    [Fact]
    public async Task Each_recipient_the_mailer_accepted_has_a_record_with_the_mailer_s_message_id()
    {
        var (notice, deliveries) = await SentLetterAsync("first@clients.example", "second@clients.example");
        deliveries.Select(d => d.Recipient).ShouldBe(["first@clients.example", "second@clients.example"]);
        deliveries.ShouldAllBe(d => d.NoticeId == notice.Id && d.ProviderMessageId != null && d.Outcome == null);
        deliveries.Select(d => d.ProviderMessageId).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_signed_hard_bounce_is_a_bounced_step_with_the_provider_s_words_the_recipient_s_outcome_a_count_and_a_listener_call()
    {
        var (notice, deliveries) = await SentLetterAsync("gone@clients.example", "stays@clients.example");
        var gone = deliveries[0];
        var before = App.Meter.Count("corp_notifier.deliveries", ("outcome", "hard_bounce"));

        using var response = await PostSignedAsync(Events(Event(gone.ProviderMessageId!, "hard_bounce", "550 5.1.1 <gone@clients.example>: user unknown", gone.Recipient)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await AnswerAsync(response)).ShouldBe(new DeliveryWebhookAnswer(1, 0, 0, false));
        var step = (await TimelineAsync(notice.Id)).Where(t => t.Type == TimelineEntryType.Bounced).ShouldHaveSingleItem();
        step.Detail!.ShouldContain("g***@clients.example hard bounce");
        step.Detail!.ShouldContain("550 5.1.1");
        step.Detail!.ShouldContain("user unknown");
        step.Detail!.ShouldNotContain("gone@clients.example");
        step.Actor.ShouldBe("webhook");
        var after = await DeliveriesAsync(notice.Id);
        after[0].Outcome.ShouldBe("hard_bounce");
        after[0].OutcomeText!.ShouldContain("user unknown");
        after[1].Outcome.ShouldBeNull("the other recipient's letter is not touched");
        App.Meter.Count("corp_notifier.deliveries", ("outcome", "hard_bounce")).ShouldBe(before + 1);
        host.Listener.Reports.ShouldContain(r => r.NoticeId == notice.Id && r.Recipient == "gone@clients.example" && r.Outcome == DeliveryOutcome.HardBounce && r.Source == "webhook" && r.Kind == "LowBalanceNotice");
    }

    [Fact]
    public async Task The_same_event_twice_is_recorded_once()
    {
        var (notice, deliveries) = await SentLetterAsync("twice@clients.example");
        var body = Events(Event(deliveries[0].ProviderMessageId!, "delivered", "250 2.0.0 Ok"));

        using (var first = await PostSignedAsync(body))
        {
            (await AnswerAsync(first)).Recorded.ShouldBe(1);
        }

        using var second = await PostSignedAsync(body); // the mailer's retry under a new webhook-id
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AnswerAsync(second)).ShouldBe(new DeliveryWebhookAnswer(0, 1, 0, false));
        (await TimelineAsync(notice.Id)).Count(t => t.Type == TimelineEntryType.Delivered).ShouldBe(1);
    }

    [Fact]
    public async Task A_replayed_webhook_id_is_answered_without_being_applied_again()
    {
        var (notice, deliveries) = await SentLetterAsync("replay@clients.example");
        var id = $"msg_{Guid.NewGuid():N}";
        using (var first = await PostSignedAsync(Events(Event(deliveries[0].ProviderMessageId!, "deferred", "451 try later")), id))
        {
            (await AnswerAsync(first)).Recorded.ShouldBe(1);
        }

        // The same id again, even with other events, correctly signed: applied once only.
        using var replay = await PostSignedAsync(Events(Event(deliveries[0].ProviderMessageId!, "complained", "abuse report")), id);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AnswerAsync(replay)).Replayed.ShouldBeTrue();
        (await TimelineAsync(notice.Id)).ShouldNotContain(t => t.Type == TimelineEntryType.Complained);
        (await DeliveriesAsync(notice.Id))[0].Outcome.ShouldBe("deferred");
    }

    public static TheoryData<string> Refusals() => ["unsigned", "bad_signature", "other_secret", "too_old", "from_the_future", "tampered_body"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_call_not_signed_by_the_mailer_is_refused_with_401_and_changes_nothing(string how)
    {
        var (notice, deliveries) = await SentLetterAsync($"{how.Replace('_', '-')}@clients.example");
        var body = Events(Event(deliveries[0].ProviderMessageId!, "hard_bounce", "550 user unknown"));
        var now = App.Clock.GetUtcNow().ToUnixTimeSeconds();
        var id = $"msg_{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Post, DeliveriesApi.WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var timestamp = how switch { "too_old" => now - 301, "from_the_future" => now + 301, _ => now };
        var signature = how switch
        {
            "bad_signature" => "v1," + Convert.ToBase64String(new byte[32]),
            "other_secret" => WebhookSignature.Sign("whsec_" + Convert.ToBase64String(new byte[24]), id, timestamp, Encoding.UTF8.GetBytes(body)),
            "tampered_body" => WebhookSignature.Sign(Secret, id, timestamp, Encoding.UTF8.GetBytes(body.Replace("hard_bounce", "delivered", StringComparison.Ordinal))),
            _ => WebhookSignature.Sign(Secret, id, timestamp, Encoding.UTF8.GetBytes(body)),
        };
        if (how != "unsigned")
        {
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", signature);
        }

        using var client = App.CreateClient();
        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await TimelineAsync(notice.Id)).ShouldNotContain(t => t.Type == TimelineEntryType.Bounced);
        (await DeliveriesAsync(notice.Id))[0].Outcome.ShouldBeNull();
        (await App.WithDbAsync(db => db.DeliveryWebhooks.AnyAsync(w => w.WebhookId == id))).ShouldBeFalse("a refused call's id is not taken");
    }

    [Fact]
    public async Task An_event_for_an_unknown_message_id_is_counted_and_ignored()
    {
        _ = App.Services;
        var before = App.Meter.Count("corp_notifier.deliveries.unknown", ("source", "webhook"));
        using var response = await PostSignedAsync(Events(Event("no-such-message", "hard_bounce", "550 user unknown")));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AnswerAsync(response)).ShouldBe(new DeliveryWebhookAnswer(0, 0, 1, false));
        App.Meter.Count("corp_notifier.deliveries.unknown", ("source", "webhook")).ShouldBe(before + 1);
    }

    [Fact]
    public async Task A_batch_with_an_invalid_event_is_refused_whole_with_the_field_named()
    {
        var (notice, deliveries) = await SentLetterAsync("batch@clients.example");
        var body = Events(Event(deliveries[0].ProviderMessageId!, "delivered", "ok"), Event(deliveries[0].ProviderMessageId!, "vanished", "?"));
        using var response = await PostSignedAsync(body);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("events[1].outcome");
        (await TimelineAsync(notice.Id)).ShouldNotContain(t => t.Type == TimelineEntryType.Delivered);
    }

    [Fact]
    public async Task A_later_report_is_the_recipient_s_outcome_and_an_older_one_arriving_late_does_not_undo_it()
    {
        var (notice, deliveries) = await SentLetterAsync("order@clients.example");
        var id = deliveries[0].ProviderMessageId!;
        var t0 = App.Clock.GetUtcNow();
        using (var batch = await PostSignedAsync(Events(Event(id, "deferred", "451 greylisted", at: t0.AddMinutes(1)), Event(id, "delivered", "250 ok", at: t0.AddMinutes(5)))))
        {
            (await AnswerAsync(batch)).Recorded.ShouldBe(2);
        }

        using (var late = await PostSignedAsync(Events(Event(id, "deferred", "451 again", at: t0.AddMinutes(3)))))
        {
            (await AnswerAsync(late)).Recorded.ShouldBe(1);
        }

        (await DeliveriesAsync(notice.Id))[0].Outcome.ShouldBe("delivered");
        (await TimelineAsync(notice.Id)).Count(t => t.Type == TimelineEntryType.Deferred).ShouldBe(2);
    }

    [Fact]
    public async Task The_letter_views_show_the_recipients_worst_outcome_and_each_recipient_s_and_the_list_filters_by_it()
    {
        var (notice, deliveries) = await SentLetterAsync("fine@clients.example", "full@clients.example");
        using (var response = await PostSignedAsync(Events(
            Event(deliveries[0].ProviderMessageId!, "delivered", "250 ok"),
            Event(deliveries[1].ProviderMessageId!, "soft_bounce", "452 4.2.2 Mailbox full"))))
        {
            (await AnswerAsync(response)).Recorded.ShouldBe(2);
        }

        using var admin = App.Client(CorpNotifier.Auth.Roles.Viewer);
        using var list = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/notices?clientId={notice.ClientId}&delivery=soft_bounce"));
        var item = list.RootElement.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("id").GetInt64().ShouldBe(notice.Id);
        item.GetProperty("delivery").GetString().ShouldBe("soft_bounce");
        using (var none = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/notices?clientId={notice.ClientId}&delivery=complained")))
        {
            none.RootElement.GetProperty("items").GetArrayLength().ShouldBe(0);
        }

        using var bad = await admin.GetAsync("/api/v1/notices?delivery=lost");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var detail = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/notices/{notice.Id}"));
        var recipients = detail.RootElement.GetProperty("notice").GetProperty("deliveries").EnumerateArray()
            .Select(d => (d.GetProperty("recipient").GetString(), d.GetProperty("outcome").GetString())).ToList();
        recipients.ShouldBe([("fine@clients.example", "delivered"), ("full@clients.example", "soft_bounce")]);
    }

    private async Task<(Notice Notice, List<LetterDelivery> Deliveries)> SentLetterAsync(params string[] emails)
    {
        var client = $"dlv-{Interlocked.Increment(ref _clients)}-{Guid.NewGuid():N}"[..20];
        await App.PostEventAsync(App.Events.Profile(client, emails));
        var contract = $"{client}-c"; // a letter per contract a day: each test its own contract
        await App.PostEventAsync(App.Events.ContractResync(client, contract));
        await Eventually.MatchAsync(() => App.WithDbAsync(db => db.Events.CountAsync(e => e.ClientId == client)), n => n == 2, "profile and contract");
        await App.PostEventAsync(App.Events.Balance(client, 150, 50, contract, eventId: $"{client}-balance"));
        var notice = (await Eventually.MatchAsync(
            () => App.NoticesAsync(client),
            n => n.Count == 1 && n[0].Status == NoticeStatus.Sent,
            "the letter to be sent"))[0];
        return (notice, await DeliveriesAsync(notice.Id));
    }

    private Task<List<LetterDelivery>> DeliveriesAsync(long noticeId) =>
        App.WithDbAsync(db => db.LetterDeliveries.AsNoTracking().Where(d => d.NoticeId == noticeId).OrderBy(d => d.Id).ToListAsync());

    private Task<List<NoticeTimelineEntry>> TimelineAsync(long noticeId) =>
        App.WithDbAsync(db => db.Timeline.AsNoTracking().Where(t => t.NoticeId == noticeId).OrderBy(t => t.Id).ToListAsync());

    private string Event(string messageId, string outcome, string description, string? recipient = null, DateTimeOffset? at = null) =>
        JsonSerializer.Serialize(new DeliveryWebhookEvent(messageId, recipient, outcome, description, at ?? App.Clock.GetUtcNow()));

    private static string Events(params string[] events) => $$"""{"events":[{{string.Join(",", events)}}]}""";

    private async Task<HttpResponseMessage> PostSignedAsync(string body, string? id = null)
    {
        id ??= $"msg_{Guid.NewGuid():N}";
        var timestamp = App.Clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, DeliveriesApi.WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(Secret, id, timestamp, Encoding.UTF8.GetBytes(body)));
        using var client = App.CreateClient();
        return await client.SendAsync(request);
    }

    private static async Task<DeliveryWebhookAnswer> AnswerAsync(HttpResponseMessage response) =>
        (await JsonSerializer.DeserializeAsync<DeliveryWebhookAnswer>(await response.Content.ReadAsStreamAsync()))!;
}
