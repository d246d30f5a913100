using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;

namespace CorpNotifier.SystemTests;

/// <summary>Operators' actions on real PostgreSQL and RabbitMQ, with letters reaching a real SMTP server.</summary>
public sealed class AdminTests : SystemTest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Resend_and_manual_send_reach_the_smtp_server()
    {
        var service = await StartServiceAsync(mailer: "Smtp");
        await SeedClientAsync(service);
        using var operatorClient = service.ClientAs(Roles.Operator);

        using var manual = await operatorClient.PostAsJsonAsync("/api/v1/clients/client-42/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "contract-7",
            args = new { external_id = "ДГ-7", old_balance = "150", new_balance = "42", currency = "RUB" },
        });
        manual.StatusCode.ShouldBe(HttpStatusCode.Created, await manual.Content.ReadAsStringAsync());
        var letter = (await manual.Content.ReadFromJsonAsync<NoticeView>(Json))!;
        await WaitForNoticesAsync(n => n.Single(x => x.Id == letter.Id).Status == NoticeStatus.Sent, "the manual letter");

        using var resend = await operatorClient.PostAsync($"/api/v1/notices/{letter.Id}/resend", null);
        resend.StatusCode.ShouldBe(HttpStatusCode.Created);
        var again = (await resend.Content.ReadFromJsonAsync<NoticeView>(Json))!;
        await WaitForNoticesAsync(n => n.Single(x => x.Id == again.Id).Status == NoticeStatus.Sent, "the re-sent letter");

        Smtp.Messages.Count.ShouldBe(2);
        Smtp.Messages.Select(m => m.Headers["X-Notice-Id"]).ShouldBe([letter.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), again.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], ignoreOrder: true);
        Smtp.Messages.ShouldAllBe(m => m.TextBody!.Contains("опустился до 42 RUB") && m.To.ToString() == "billing@acme.example");
    }

    [Fact]
    public async Task Two_operators_resending_the_same_letter_at_once_get_one_resend()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        using var operatorClient = service.ClientAs(Roles.Operator);
        using var admin = service.ClientAs(Roles.Admin);
        var original = await ManualAsync(operatorClient, sendAt: null);
        await WaitForNoticesAsync(n => n.Single(x => x.Id == original.Id).Status == NoticeStatus.Sent, "the original letter");

        // The re-sends stay pending for a while (the mailer is slow), so both requests race on the same row state.
        Upstreams.SenderLatency = TimeSpan.FromSeconds(1);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? operatorClient : admin).PostAsync($"/api/v1/notices/{original.Id}/resend", null)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.Created).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Conflict);
        var notices = await WaitForNoticesAsync(n => n.Count(x => x.ResendOfId == original.Id && x.Status == NoticeStatus.Sent) == 1, "the one re-send");
        notices.Count(n => n.ResendOfId == original.Id).ShouldBe(1);
        Upstreams.SenderCalls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_cancelled_letter_is_never_sent_and_a_restored_one_is()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        using var operatorClient = service.ClientAs(Roles.Operator);
        var cancelled = await ManualAsync(operatorClient, DateTimeOffset.UtcNow.AddSeconds(3));
        var restored = await ManualAsync(operatorClient, DateTimeOffset.UtcNow.AddSeconds(3));

        (await operatorClient.DeleteAsync($"/api/v1/notices/{cancelled.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await operatorClient.DeleteAsync($"/api/v1/notices/{restored.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await operatorClient.PostAsync($"/api/v1/notices/{restored.Id}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await WaitForNoticesAsync(n => n.Single(x => x.Id == restored.Id).Status == NoticeStatus.Sent, "the restored letter");
        await SweptPastAsync(service, cancelled.SendAt);
        (await Env.NoticesAsync()).Single(n => n.Id == cancelled.Id).Status.ShouldBe(NoticeStatus.Dequeued);
        Upstreams.SenderCalls.Count.ShouldBe(2); // the restored letter and the proof letter
        await using var db = Env.Db();
        db.Audit.Count(a => a.Action == AuditActions.Cancel).ShouldBe(2);
        db.Audit.Count(a => a.Action == AuditActions.Restore).ShouldBe(1);
    }

    private static async Task<NoticeView> ManualAsync(HttpClient client, DateTimeOffset? sendAt)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/clients/client-42/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "contract-7",
            args = new { old_balance = "150", new_balance = "42", currency = "RUB" },
            sendAt,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NoticeView>(Json))!;
    }
}
