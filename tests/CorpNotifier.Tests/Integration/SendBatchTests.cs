using CorpNotifier.Mailers;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// Letters due together are sent as one batch: claimed in one statement, checked together, handed
/// to the mailer concurrently, their answers committed as they come. One letter's trouble — a step
/// the database refuses, a claim another instance took over — stays with that letter; its batch-mates
/// are recorded sent, each once. Nothing is stubbed: the database refuses a row by a trigger, and the
/// claim is taken over by a real update while the mailer is called.
/// </summary>
public sealed class SendBatchTests : IAsyncLifetime
{
    private static readonly string[] Clients = ["client-1", "client-2", "client-3"];

    private readonly MailerHook _mailer = new();
    private readonly TestHost _host;

    public SendBatchTests()
    {
        _host = new TestHost(
            new Dictionary<string, string?>
            {
                // Due in an hour, so that the three letters are due together when the clock moves.
                ["Notices:LowBalanceNotice:Offset"] = "01:00:00",
                // One batch at a time, so the sweep's three letters are one batch.
                ["Dispatch:ConcurrentSends"] = "8",
                ["Dispatch:SendBatchSize"] = "8",
                ["Logging:LogLevel:CorpNotifier.Dispatch.NoticeSender"] = "Debug",
            },
            services =>
            {
                var original = services.Last(d => d.ServiceType == typeof(IMailer));
                services.Remove(original);
                services.AddSingleton<IMailer>(sp => _mailer.Around((IMailer)original.ImplementationFactory!(sp)));
            });
    }

    public async Task InitializeAsync()
    {
        foreach (var client in Clients)
        {
            await _host.PostAndWaitAsync(_host.Events.Profile(client, [$"billing@{client}.example"]));
            await _host.PostAndWaitAsync(_host.Events.ContractResync(client, contractId: $"contract-{client}"));
            await _host.PostAndWaitAsync(_host.Events.Balance(client, 150, 50, contractId: $"contract-{client}", eventId: $"balance-{client}"));
        }

        foreach (var client in Clients)
        {
            (await _host.NoticesAsync(client)).ShouldHaveSingleItem().Status.ShouldBe(NoticeStatus.Pending);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Letters_due_together_are_claimed_as_one_batch_and_handed_to_the_mailer_at_once_each_once()
    {
        // Each call waits until all three are under way: letters sent one after another never get there.
        _mailer.Before = _ => _mailer.UnderWayAtLeastAsync(3);

        _host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await WaitUntilAsync(n => n.All(x => x.Status == NoticeStatus.Sent), "all three letters to be sent");

        _mailer.MostAtOnce.ShouldBe(3);
        _host.Logs.Entries.ShouldContain(e => e.Message == "Claimed 3 of 3 letters as one batch");
        _host.Letters().Length.ShouldBe(3);
        foreach (var client in Clients)
        {
            (await StepsAsync(client)).ShouldBe([TimelineEntryType.Claimed, TimelineEntryType.RecipientAccepted, TimelineEntryType.Sent]);
        }
    }

    [Fact]
    public async Task A_letter_whose_step_the_database_refuses_is_retried_alone_and_its_batch_mates_are_recorded_sent()
    {
        // A letter's claim step is committed with its mailer's answer: this one's is refused in
        // whichever commit holds it (alone, or split from its batch-mates' steps into a commit of
        // each letter's own), and only this letter is retried.
        var poison = (await _host.NoticesAsync("client-2")).Single().Id;
        var trigger = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"CREATE TRIGGER poison BEFORE INSERT ON notice_timeline WHEN NEW.notice_id = {poison} AND NEW.type = 'claimed' BEGIN SELECT RAISE(ABORT, 'poison'); END;");
        await _host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(trigger));
        _mailer.Before = _ => _mailer.UnderWayAtLeastAsync(3);

        _host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var notices = await WaitUntilAsync(
            n => n.Count(x => x.Status == NoticeStatus.Sent) == 2 && n.Any(x => x.Id == poison && x.Status == NoticeStatus.Pending && x.Attempts == 1),
            "two letters sent and the refused one pending for its next attempt");

        _host.Logs.Entries.ShouldContain(e => e.Message.StartsWith($"Notice {poison} (", StringComparison.Ordinal) && e.Message.EndsWith("unexpected error in the send path", StringComparison.Ordinal));
        _host.Logs.Entries.ShouldNotContain(e => e.Message.EndsWith("unexpected error in the send path", StringComparison.Ordinal) && !e.Message.StartsWith($"Notice {poison} (", StringComparison.Ordinal));
        var refused = notices.Single(n => n.Id == poison);
        refused.ReasonCode.ShouldBe(ReasonCodes.RetryScheduled);
        refused.Reason.ShouldNotBeNull().ShouldContain("poison");
        // What the mailer accepted is recorded with the retry, so the retry writes to no one again.
        (await StepsAsync("client-2")).ShouldBe([TimelineEntryType.RecipientAccepted, TimelineEntryType.AttemptFailed]);
        refused.SentTo.ShouldBe(["billing@client-2.example"]);
        foreach (var client in new[] { "client-1", "client-3" })
        {
            (await StepsAsync(client)).ShouldBe([TimelineEntryType.Claimed, TimelineEntryType.RecipientAccepted, TimelineEntryType.Sent]);
        }

        // Its refused commit held it as sent: the log tells only of what the database kept.
        var endedSent = $"Notice {poison} (LowBalanceNotice) ended Sent";
        _host.Logs.Entries.ShouldNotContain(e => e.Message.StartsWith(endedSent, StringComparison.Ordinal));

        // Its next attempt, the database taking its steps again, has nobody left to write to: it ends
        // sent without a second letter.
        await _host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER poison"));
        _mailer.Calls.ShouldBe(3);
        _host.Clock.Advance(refused.SendAt - _host.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        await WaitUntilAsync(n => n.Single(x => x.Id == poison).Status == NoticeStatus.Sent, "the refused letter sent at its next attempt");
        _mailer.Calls.ShouldBe(3);
        (await StepsAsync("client-2")).ShouldBe([TimelineEntryType.RecipientAccepted, TimelineEntryType.AttemptFailed, TimelineEntryType.Claimed, TimelineEntryType.Sent]);
        _host.Logs.Entries.Count(e => e.Message.StartsWith(endedSent, StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task A_letter_whose_claim_another_instance_took_over_while_its_mailer_call_ran_is_left_to_it_and_its_batch_mates_are_recorded_sent()
    {
        var takenOver = (await _host.NoticesAsync("client-2")).Single().Id;
        var otherClaim = Guid.NewGuid();
        var tookOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _mailer.Before = async letter =>
        {
            await _mailer.UnderWayAtLeastAsync(3);
            if (letter.NoticeId == takenOver)
            {
                await _host.WithDbAsync(db => db.Notices.Where(n => n.Id == takenOver)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseToken, otherClaim)));
                tookOver.TrySetResult();
            }

            // The batch-mates' answers come once the claim is taken over.
            await tookOver.Task.WaitAsync(Eventually.DefaultTimeout);
        };

        _host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var notices = await WaitUntilAsync(
            n => n.Count(x => x.Status == NoticeStatus.Sent) == 2,
            "the two other letters to be sent");
        await Eventually.MatchAsync(
            () => Task.FromResult(_host.Logs.Entries.ToList()),
            logs => logs.Any(e => e.Message.Contains($"Notice {takenOver} (LowBalanceNotice): the claim expired before the outcome was recorded", StringComparison.Ordinal)),
            "the lost claim to be logged");

        var lost = notices.Single(n => n.Id == takenOver);
        lost.Status.ShouldBe(NoticeStatus.Sending, "its new holder records it, not this batch");
        lost.LeaseToken.ShouldBe(otherClaim);
        lost.SentTo.ShouldBeEmpty();
        (await StepsAsync("client-2")).ShouldNotContain(TimelineEntryType.Sent);
        foreach (var client in new[] { "client-1", "client-3" })
        {
            (await StepsAsync(client)).ShouldBe([TimelineEntryType.Claimed, TimelineEntryType.RecipientAccepted, TimelineEntryType.Sent]);
        }
    }

    private async Task<List<Notice>> WaitUntilAsync(Func<List<Notice>, bool> condition, string what) =>
        await Eventually.MatchAsync(
            async () => await _host.WithDbAsync(db => db.Notices.AsNoTracking().Where(n => Clients.Contains(n.ClientId)).OrderBy(n => n.Id).ToListAsync()),
            condition,
            what,
            diagnostics: () => $"mailer calls: {_mailer.Calls}, at most {_mailer.MostAtOnce} at once");

    private Task<List<TimelineEntryType>> StepsAsync(string clientId) =>
        _host.WithDbAsync(async db =>
        {
            var ids = await db.Notices.AsNoTracking().Where(n => n.ClientId == clientId).Select(n => n.Id).ToListAsync();
            return await db.Timeline.AsNoTracking()
                .Where(t => ids.Contains(t.NoticeId) && t.Type != TimelineEntryType.Created)
                .OrderBy(t => t.Id)
                .Select(t => t.Type)
                .ToListAsync();
        });

    /// <summary>The service's own mailer, with a hook before each call and a count of the calls under way.</summary>
    private sealed class MailerHook : IMailer
    {
        private IMailer? _inner;
        private int _underWay;
        private int _mostAtOnce;
        private int _calls;

        public Func<Letter, Task>? Before { get; set; }

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public int Calls => Volatile.Read(ref _calls);

        public IMailer Around(IMailer inner)
        {
            _inner = inner;
            return this;
        }

        /// <summary>Waits until <paramref name="count"/> calls were under way at once (up to the test's timeout).</summary>
        public async Task UnderWayAtLeastAsync(int count)
        {
            await Eventually.MatchAsync(() => Task.FromResult(MostAtOnce), most => most >= count, $"{count} mailer calls under way at once");
        }

        public async Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _underWay);
            InterlockedMax(ref _mostAtOnce, now);
            try
            {
                if (Before is { } before)
                {
                    await before(letter);
                }

                return await _inner!.SendAsync(letter, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _underWay);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
