
namespace CorpNotifier.SystemTests;

/// <summary>Identical instances on one database and one broker: every letter goes out exactly once.</summary>
public sealed class ScaleOutTests : SystemTest
{
    [Fact]
    public async Task Two_instances_send_500_due_letters_each_exactly_once()
    {
        await StartServiceAsync(name: "instance-a");
        await StartServiceAsync(name: "instance-b");

        var sendAt = DateTimeOffset.UtcNow.AddSeconds(2);
        await DueLetters.SeedAsync(Env, 500, sendAt);

        var notices = await WaitUntilSentAsync(500, "all 500 letters to be sent", TimeSpan.FromSeconds(120));
        notices.Count.ShouldBe(500);
        notices.ShouldAllBe(n => n.SentAt >= n.SendAt);

        var calls = Upstreams.SenderCalls.ToList();
        calls.Count.ShouldBe(500);
        calls.GroupBy(c => c.ToEmail).ShouldAllBe(g => g.Count() == 1);
        calls.Select(c => c.ToEmail).ShouldBe(notices.Select(n => DueLetters.Email(n.ClientId)), ignoreOrder: true);

        // Both instances took part, and no letter was claimed twice.
        var claims = notices.SelectMany(n => n.Timeline.Where(t => t.Type == TimelineEntryType.Claimed)).ToList();
        claims.Count.ShouldBe(500);
        claims.Select(c => c.Actor).Distinct().ShouldBe(["instance-a", "instance-b"], ignoreOrder: true);
    }
}

/// <summary>Letters written straight into the notices table (the outbox), as if rules had created them.</summary>
public static class DueLetters
{
    public static string Email(string clientId) => $"{clientId}@clients.example";

    public static async Task SeedAsync(SystemEnvironment env, int count, DateTimeOffset sendAt)
    {
        await using var db = env.Db();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var clientId = $"client-{i:D4}";
            db.Clients.Add(new ClientRecord
            {
                ClientId = clientId,
                Name = $"Client {i}",
                Country = "rus",
                Locale = "ru",
                TimeZone = "Europe/Moscow",
                Emails = [Email(clientId)],
                UpdatedAt = now,
            });
            db.Notices.Add(new Notice
            {
                ClientId = clientId,
                ContractId = $"contract-{i:D4}",
                Kind = "LowBalanceNotice",
                Status = NoticeStatus.Pending,
                Origin = NoticeOrigin.Manual,
                SendAt = sendAt,
                Args = new() { ["contract_id"] = $"contract-{i:D4}", ["external_id"] = $"ДГ-{i}", ["old_balance"] = "150", ["new_balance"] = "50", ["currency"] = "RUB" },
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        await db.SaveChangesAsync();
    }
}
