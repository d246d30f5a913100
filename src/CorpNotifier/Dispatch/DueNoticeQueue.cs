using System.Data.Common;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Dispatch;

/// <summary>
/// The hot path of the sweeper: which due notices still need to be handed to a send queue. It marks them
/// queued (not a step of their life: they stay pending until the send path claims them).
/// </summary>
public sealed class DueNoticeQueue(NoticesDbContext db, TimeProvider time, IOptions<DispatchOptions> options)
{
    // Raw SQL on purpose: EF cannot express FOR UPDATE SKIP LOCKED or UPDATE … RETURNING.
    // SKIP LOCKED lets every instance sweep at once without waiting on, or taking, each
    // other's rows; the partial index ix_notices_pending_send_at keeps this O(batch).
    private const string QueuePostgres = """
        UPDATE notices SET queued_until = @until, updated_at = @now
        WHERE id IN (
            SELECT id FROM notices
            WHERE status = 'pending' AND send_at <= @now AND (queued_until IS NULL OR queued_until <= @now)
            ORDER BY send_at, id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    // SQLite (embedded, one instance) serialises writers, so the same statement without row locks.
    private const string QueueSqlite = """
        UPDATE notices SET queued_until = @until, updated_at = @now
        WHERE id IN (
            SELECT id FROM notices
            WHERE status = 'pending' AND send_at <= @now AND (queued_until IS NULL OR queued_until <= @now)
            ORDER BY send_at, id
            LIMIT @batch)
        RETURNING id
        """;

    /// <summary>Marks up to <paramref name="limit"/> (at most <c>BatchSize</c>) due notices as queued and returns their ids.</summary>
    public async Task<IReadOnlyList<long>> QueueDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = now + options.Value.RequeueAfter;
        var postgres = db.Database.IsNpgsql();

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = postgres ? QueuePostgres : QueueSqlite;
            Add(command, "@now", postgres ? now : now.UtcTicks);
            Add(command, "@until", postgres ? until : until.UtcTicks);
            Add(command, "@batch", Math.Clamp(limit, 1, options.Value.BatchSize));

            var ids = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }

            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Lifts the queued mark of pending notices whose send was not started; returns how many.</summary>
    public Task<int> ReleaseAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        db.Notices
            .Where(n => ids.Contains(n.Id) && n.Status == NoticeStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.QueuedUntil, (DateTimeOffset?)null), cancellationToken);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
