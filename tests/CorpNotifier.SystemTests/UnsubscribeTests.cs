using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.SystemTests;

/// <summary>
/// One-click unsubscribe on real PostgreSQL and RabbitMQ: the token's keys live in the database, so a
/// link made by one instance works on another; the next reminder is skipped, a mandatory letter is not.
/// </summary>
public sealed class UnsubscribeTests : SystemTest
{
    private static readonly Dictionary<string, string> Settings = new() { ["Unsubscribe:BaseUrl"] = "https://notify.example" };

    private static async Task<long> SendByHandAsync(ServiceProcess service, string kind)
    {
        object args = kind == "LimitIsOverNotice"
            ? new { contract_id = "contract-7", old_balance = "30", new_balance = "20", currency = "RUB" }
            : new { contract_id = "contract-7" };
        using var response = await service.Client.PostAsJsonAsync("/api/v1/clients/client-42/notices", new { kind, contractId = "contract-7", args });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static string? Link(SenderCall call)
    {
        var args = call.Args.ValueKind == JsonValueKind.String ? JsonDocument.Parse(call.Args.GetString()!).RootElement : call.Args;
        return args.TryGetProperty("unsubscribe_url", out var url) ? url.GetString() : null;
    }

    [Fact]
    public async Task A_link_made_on_one_instance_unsubscribes_on_another_and_stops_the_next_reminder_while_limit_is_over_still_goes_out()
    {
        var a = await StartServiceAsync(Settings, name: "instance-a");
        await SeedClientAsync(a);
        var first = await SendByHandAsync(a, "FirstRemindPrepaidNotice");
        var call = await Eventually.MatchAsync(
            () => Task.FromResult(Upstreams.SenderCalls.FirstOrDefault(c => c.Slug == "first-remind-prepaid")),
            c => c is not null,
            $"reminder {first} to reach the Sender",
            diagnostics: Logs);
        var link = Link(call!).ShouldNotBeNull();
        link.ShouldStartWith("https://notify.example/unsubscribe/");

        // The other instance starts after the link was made: it has never seen the key but in the database.
        var b = await StartServiceAsync(Settings, name: "instance-b");
        using (var anonymous = new HttpClient { BaseAddress = new Uri(b.BaseUrl) })
        using (var response = await anonymous.PostAsync(new Uri(link).AbsolutePath, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, Logs());
        }

        await using (var db = Env.Db())
        {
            (await db.Database.SqlQueryRaw<string>("select category as \"Value\" from unsubscribes where address = 'billing@acme.example' and via = 'one_click'").ToListAsync())
                .ShouldBe(["reminders"]);
            (await db.Database.SqlQueryRaw<int>("select count(*)::int as \"Value\" from data_protection_keys").SingleAsync()).ShouldBeGreaterThan(0);
        }

        var second = await SendByHandAsync(b, "SecondRemindPrepaidNotice");
        var limit = await SendByHandAsync(b, "LimitIsOverNotice");
        var notices = await WaitForNoticesAsync(
            n => n.Single(x => x.Id == second).Status == NoticeStatus.Rejected && n.Single(x => x.Id == limit).Status == NoticeStatus.Sent,
            "the second reminder rejected and the limit letter sent");
        notices.Single(x => x.Id == second).ReasonCode.ShouldBe("unsubscribed");
        Upstreams.SenderCalls.Count(c => c.Slug == "second-remind-prepaid").ShouldBe(0);
        Link(Upstreams.SenderCalls.Single(c => c.Slug == "limit-is-over")).ShouldBeNull();
    }
}
