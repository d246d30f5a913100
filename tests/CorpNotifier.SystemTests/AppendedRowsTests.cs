using System.Data.Common;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CorpNotifier.SystemTests;

/// <summary>
/// On PostgreSQL a save writes the timeline steps and deliveries it adds with one statement per
/// table: each row lands once, with its notice's id (a new notice's too), its own id in the order the
/// rows were added, and in the same transaction as the rest of the save — nothing of a save that fails
/// or is rolled back is kept, and the rows are added again by the next save of the unit of work.
/// </summary>
public sealed class AppendedRowsTests : SystemTest
{
    private static Notice NewNotice(string clientId) => new()
    {
        Kind = "LowBalanceNotice",
        ClientId = clientId,
        Status = NoticeStatus.Pending,
        SendAt = DateTimeOffset.UtcNow.AddHours(1),
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    private static NoticeTimelineEntry Step(TimelineEntryType type, string detail, long noticeId = 0) =>
        new() { NoticeId = noticeId, At = DateTimeOffset.UtcNow, Type = type, Detail = detail, Actor = "test" };

    [Fact]
    public async Task The_steps_of_a_new_notice_and_of_an_existing_one_are_written_once_each_with_their_notices_id_in_the_order_added()
    {
        long existingId;
        await using (var db = Env.Db())
        {
            var existing = NewNotice("client-a");
            db.Notices.Add(existing);
            await db.SaveChangesAsync();
            existingId = existing.Id;
        }

        await using (var db = Env.Db())
        {
            var created = NewNotice("client-b");
            created.Timeline.Add(Step(TimelineEntryType.Created, "first"));
            created.Timeline.Add(Step(TimelineEntryType.Held, "second"));
            db.Notices.Add(created);
            var byId = Step(TimelineEntryType.Dequeued, "by id", existingId);
            db.Timeline.Add(byId);
            var delivery = new LetterDelivery { NoticeId = existingId, Recipient = "billing@example.com", ProviderMessageId = "m-1", AcceptedAt = DateTimeOffset.UtcNow };
            db.Set<LetterDelivery>().Add(delivery);

            (await db.SaveChangesAsync()).ShouldBe(5);

            // As EF leaves a saved row: its id known, unchanged in the unit of work.
            created.Timeline.ShouldAllBe(t => t.NoticeId == created.Id && t.Id > 0);
            created.Timeline[0].Id.ShouldBeLessThan(created.Timeline[1].Id);
            byId.Id.ShouldBeGreaterThan(0);
            delivery.Id.ShouldBeGreaterThan(0);
            db.ChangeTracker.Entries().ShouldAllBe(e => e.State == EntityState.Unchanged);

            // A later save of the same unit of work writes only what it adds.
            created.Timeline.Add(Step(TimelineEntryType.Restored, "third"));
            created.Status = NoticeStatus.Dequeued;
            (await db.SaveChangesAsync()).ShouldBe(2);
        }

        await using (var check = Env.Db())
        {
            var steps = await check.Timeline.OrderBy(t => t.Id).ToListAsync();
            steps.Select(t => (t.Detail, t.Type)).ShouldBe([
                ("first", TimelineEntryType.Created),
                ("second", TimelineEntryType.Held),
                ("by id", TimelineEntryType.Dequeued),
                ("third", TimelineEntryType.Restored)]);
            steps.Where(t => t.Detail != "by id").ShouldAllBe(t => t.NoticeId != existingId);
            steps.Single(t => t.Detail == "by id").NoticeId.ShouldBe(existingId);
            var delivery = await check.Set<LetterDelivery>().SingleAsync();
            (delivery.NoticeId, delivery.Recipient, delivery.ProviderMessageId).ShouldBe((existingId, "billing@example.com", "m-1"));
            (await check.Notices.CountAsync(n => n.Status == NoticeStatus.Dequeued)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task A_save_that_fails_keeps_none_of_its_rows_and_leaves_them_added_for_the_next_save()
    {
        long noticeId;
        await using (var db = Env.Db())
        {
            var notice = NewNotice("client-c");
            db.Notices.Add(notice);
            await db.SaveChangesAsync();
            noticeId = notice.Id;
        }

        await using (var db = Env.Db())
        {
            var notice = await db.Notices.SingleAsync(n => n.Id == noticeId);
            notice.Status = NoticeStatus.Dequeued;
            notice.Timeline.Add(Step(TimelineEntryType.Dequeued, "dequeued"));
            // A step of a notice that does not exist is refused by its foreign key, after the notice's
            // change and its own step are written in the same transaction: the whole save is undone.
            var orphan = Step(TimelineEntryType.Held, "orphan", noticeId: 999_999_999);
            db.Timeline.Add(orphan);
            var failed = await Should.ThrowAsync<Exception>(() => db.SaveChangesAsync());
            failed.GetBaseException().Message.ShouldContain("foreign key");

            await using (var check = Env.Db())
            {
                (await check.Notices.SingleAsync(n => n.Id == noticeId)).Status.ShouldBe(NoticeStatus.Pending);
                (await check.Timeline.CountAsync()).ShouldBe(0);
            }

            db.ChangeTracker.Entries<NoticeTimelineEntry>().Select(e => e.State).ShouldBe([EntityState.Added, EntityState.Added], ignoreOrder: true);
            db.Entry(notice).State.ShouldBe(EntityState.Modified);

            // The next save, without the orphan, writes what was left to write.
            db.Entry(orphan).State = EntityState.Detached;
            (await db.SaveChangesAsync()).ShouldBe(2);
        }

        await using (var after = Env.Db())
        {
            (await after.Notices.SingleAsync(n => n.Id == noticeId)).Status.ShouldBe(NoticeStatus.Dequeued);
            (await after.Timeline.SingleAsync()).Detail.ShouldBe("dequeued");
        }
    }

    [Fact]
    public async Task Rows_saved_in_a_callers_transaction_that_is_rolled_back_are_not_kept()
    {
        await using (var db = Env.Db())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var notice = NewNotice("client-d");
            notice.Timeline.Add(Step(TimelineEntryType.Created, "created"));
            db.Notices.Add(notice);
            (await db.SaveChangesAsync()).ShouldBe(2);
            notice.Timeline.ShouldHaveSingleItem().NoticeId.ShouldBe(notice.Id);
            await transaction.RollbackAsync();
        }

        await using var check = Env.Db();
        (await check.Notices.CountAsync()).ShouldBe(0);
        (await check.Timeline.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_connection_that_breaks_after_efs_statements_without_ef_saying_so_is_an_outage_and_keeps_nothing()
    {
        // EF releases its savepoint after its own statements and passes over a failure to do so: the
        // server ends the session right there, and the rows' statement finds the connection broken.
        var breaker = new EndSessionAtSavepointRelease(Env.PostgresConnectionString);
        await using (var db = Env.Db(breaker))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var notice = NewNotice("client-e");
            notice.Timeline.Add(Step(TimelineEntryType.Created, "created"));
            db.Notices.Add(notice);

            var error = await Should.ThrowAsync<Exception>(() => db.SaveChangesAsync());
            breaker.Ended.ShouldBeTrue("the session was ended at the savepoint's release");
            error.ShouldBeOfType<DatabaseConnectionLostException>();
            DatabaseFaults.IsUnavailable(error).ShouldBeTrue($"an outage, to be waited out and retried, not a refusal: {error}");
            db.ChangeTracker.Entries<NoticeTimelineEntry>().ShouldHaveSingleItem().State.ShouldBe(EntityState.Added);
        }

        await using var check = Env.Db();
        (await check.Notices.CountAsync()).ShouldBe(0);
        (await check.Timeline.CountAsync()).ShouldBe(0);
    }

    /// <summary>Ends its connection's session from another one, once, as EF is about to release its savepoint, and waits until the session is gone.</summary>
    private sealed class EndSessionAtSavepointRelease(string connectionString) : DbTransactionInterceptor
    {
        public bool Ended { get; private set; }

        public override async ValueTask<InterceptionResult> ReleasingSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Ended)
            {
                return result;
            }

            Ended = true;
            var pid = ((NpgsqlConnection)transaction.Connection!).ProcessID;
            await using var other = new NpgsqlConnection(connectionString);
            await other.OpenAsync(cancellationToken);
            await using var end = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", other) { Parameters = { new("pid", pid) } };
            await end.ExecuteScalarAsync(cancellationToken);
            await using var gone = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid", other) { Parameters = { new("pid", pid) } };
            await Eventually.MatchAsync(async () => (long)(await gone.ExecuteScalarAsync(cancellationToken))!, n => n == 0, "the session ended", TimeSpan.FromSeconds(30));
            return result;
        }
    }
}
