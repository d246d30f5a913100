using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.SystemTests;

/// <summary><c>ClientDirectory = Http</c>: data gathering from the owning service over real HTTP.</summary>
public sealed class HttpDirectoryTests : SystemTest
{
    private Dictionary<string, string> HttpDirectory => new()
    {
        ["ClientDirectory"] = "Http",
        ["HttpDirectory:BaseUrl"] = Upstreams.BaseUrl,
        // Generous: a slow answer on a busy machine must not spend a test's counted answers on a retry.
        ["HttpDirectory:Timeout"] = "00:00:10",
    };

    [Fact]
    public async Task Thresholds_and_recipients_come_from_the_owning_service()
    {
        Upstreams.Clients["client-9"] = new { clientId = "client-9", name = "Beta", country = "kaz", locale = "en", timeZone = "Asia/Almaty", emails = new[] { "finance@beta.example" }, hasSuccessfulOrder = true };
        Upstreams.Contracts["contract-9"] = new
        {
            contractId = "contract-9",
            clientId = "client-9",
            externalId = "KZ-9",
            state = new { isActive = true, paymentType = "prepaid", services = new[] { "taxi" }, lowBalanceThreshold = 1000, deactivateThreshold = 100, lowBalanceNotificationsEnabled = true },
        };
        var service = await StartServiceAsync(HttpDirectory);

        await PostAsync(service, Events.Balance("client-9", 1500, 500, contractId: "contract-9"));

        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "the letter from directory data"))[0];
        notice.Kind.ShouldBe("LowBalanceNotice");
        var call = Upstreams.SenderCalls.ShouldHaveSingleItem();
        call.ToEmail.ShouldBe("finance@beta.example");
        call.Args.GetProperty("external_id").GetString().ShouldBe("KZ-9");
    }

    [Fact]
    public async Task A_contract_the_owning_service_does_not_know_yet_parks_the_event_until_it_does()
    {
        Upstreams.Clients["client-9"] = new { clientId = "client-9", name = "Beta", country = "kaz", locale = "en", timeZone = "Asia/Almaty", emails = new[] { "finance@beta.example" }, hasSuccessfulOrder = true };
        var service = await StartServiceAsync(new Dictionary<string, string>(HttpDirectory) { ["Intake:ParkedRetryInterval"] = "00:00:01" });

        // 404 for the contract: the event waits, and the periodic retry asks again.
        var balance = Events.Balance("client-9", 1500, 500, contractId: "contract-9");
        await PostAsync(service, balance);
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.EventId == balance.EventId);
            },
            e => e is { Status: EventStatus.Waiting, Missing: MissingData.Contract, RetriedAt: not null },
            "the event to be parked and tried again",
            diagnostics: Logs);
        (await Env.NoticesAsync()).ShouldBeEmpty();

        Upstreams.Contracts["contract-9"] = new
        {
            contractId = "contract-9",
            clientId = "client-9",
            externalId = "KZ-9",
            state = new { isActive = true, paymentType = "prepaid", services = new[] { "taxi" }, lowBalanceThreshold = 1000, deactivateThreshold = 100, lowBalanceNotificationsEnabled = true },
        };

        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "the letter once the owning service knows the contract"))[0];
        notice.Kind.ShouldBe("LowBalanceNotice");
        Upstreams.SenderCalls.ShouldHaveSingleItem().Args.GetProperty("external_id").GetString().ShouldBe("KZ-9");
    }

    [Fact]
    public async Task A_directory_that_is_down_at_send_time_delays_the_letter_instead_of_losing_it()
    {
        Upstreams.Clients["client-9"] = new { clientId = "client-9", name = "Beta", country = "kaz", locale = "en", timeZone = "Asia/Almaty", emails = new[] { "finance@beta.example" }, hasSuccessfulOrder = false };
        Upstreams.Contracts["contract-9"] = new
        {
            contractId = "contract-9",
            clientId = "client-9",
            state = new { isActive = true, paymentType = "prepaid", services = new[] { "taxi" }, lowBalanceThreshold = 1000, deactivateThreshold = 100, lowBalanceNotificationsEnabled = true },
        };
        var service = await StartServiceAsync(new Dictionary<string, string>(HttpDirectory)
        {
            ["HttpDirectory:Retries"] = "0",
            ["Notices:LowBalanceNotice:Offset"] = "00:00:02",
        });

        // The letter is created from the directory's data (the client, then the contract: two
        // answers); from then on, before the letter is due, the directory is down.
        Upstreams.DirectoryAnswersBeforeOutage = 2;
        await PostAsync(service, Events.Balance("client-9", 1500, 500, contractId: "contract-9"));
        await WaitForNoticesAsync(n => n.Count == 1, "the letter to be created");
        var notice = (await WaitForNoticesAsync(n => n[0].Attempts >= 1 && n[0].Status == NoticeStatus.Pending, "a failed attempt"))[0];
        notice.ReasonCode.ShouldBe(ReasonCodes.RetryScheduled);
        notice.Reason!.ShouldContain("503");
        notice.Timeline.ShouldContain(t => t.Type == TimelineEntryType.AttemptFailed);
        Upstreams.SenderCalls.ShouldBeEmpty();

        Upstreams.DirectoryAnswersBeforeOutage = null;
        await WaitForNoticesAsync(n => n[0].Status == NoticeStatus.Sent, "the letter once the directory is back");
        Upstreams.SenderCalls.ShouldHaveSingleItem().ToEmail.ShouldBe("finance@beta.example");
    }
}
