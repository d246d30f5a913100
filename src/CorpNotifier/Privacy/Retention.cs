using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CorpNotifier.Admin;
using CorpNotifier.Intake;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace CorpNotifier.Privacy;

/// <summary>What a retention run did: rows anonymised per table, batches, and the longest batch (the longest any row lock was held).</summary>
public sealed record RetentionReport(DateTimeOffset Cutoff, int Notices, int Events, int AuditRecords, int Batches, TimeSpan Longest, TimeSpan LongestLock, TimeSpan Total)
{
    public int Rows => Notices + Events + AuditRecords;
}

/// <summary>
/// Anonymises what is older than <c>Retention:Days</c>: letters' recipients, addresses sent to and
/// arguments (and a reason or timeline detail that quotes an address); events' payloads; the
/// payloads of audit records about letters and events. Counts, statuses, kinds, times and the
/// timelines' steps stay. Pending and sending letters, and parked events, are never touched.
/// Works in batches of <c>Retention:BatchSize</c> rows, each batch its own short transaction, so
/// no row stays locked for long; each batch's update is conditional on the row not being
/// anonymised yet, and on PostgreSQL one instance at a time runs it (a session advisory lock), so
/// it is safe on every instance at once.
/// </summary>
public sealed partial class Retention(NoticesDbContext db, IOptions<RetentionOptions> options, TimeProvider time, IEnumerable<ILetterDataRetention> letterData, ILogger<Retention> logger)
{
    /// <summary>What an anonymised event's payload becomes.</summary>
    public const string ExpiredPayload = "{\"removed\":\"retention\"}";

    /// <summary>What a reason or timeline detail that quoted an address becomes.</summary>
    public const string RemovedText = "[removed after the retention period]";

    private static readonly long LockKey = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("retention")), 0);

    public async Task<RetentionReport?> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Days == 0)
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(settings.Days);
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (postgres && !await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({LockKey}) AS \"Value\"").SingleAsync(cancellationToken))
            {
                LogBusy();
                return null;
            }

            try
            {
                var longest = TimeSpan.Zero;
                var longestLock = TimeSpan.Zero;
                var batches = 0;
                async Task<int> DrainAsync(Func<DateTimeOffset, Task<(int Rows, TimeSpan Locked)>> batch)
                {
                    var total = 0;
                    while (true)
                    {
                        var begun = Stopwatch.GetTimestamp();
                        (var done, var locked) = await batch(cutoff);
                        var took = Stopwatch.GetElapsedTime(begun);
                        if (done == 0)
                        {
                            return total;
                        }

                        batches++;
                        longest = took > longest ? took : longest;
                        longestLock = locked > longestLock ? locked : longestLock;
                        total += done;
                        if (settings.Pause > TimeSpan.Zero)
                        {
                            await Task.Delay(settings.Pause, time, cancellationToken);
                        }
                    }
                }

                var notices = await DrainAsync(c => NoticesBatchAsync(c, settings.BatchSize, cancellationToken));
                var events = await DrainAsync(c => EventsBatchAsync(c, settings.BatchSize, cancellationToken));
                var audit = await DrainAsync(c => AuditBatchAsync(c, settings.BatchSize, cancellationToken));
                var report = new RetentionReport(cutoff, notices, events, audit, batches, longest, longestLock, Stopwatch.GetElapsedTime(started));
                LogDone(cutoff, notices, events, audit, batches, longest.TotalMilliseconds, longestLock.TotalMilliseconds, report.Total.TotalMilliseconds);
                return report;
            }
            finally
            {
                if (postgres)
                {
                    await db.Database.SqlQuery<bool>($"SELECT pg_advisory_unlock({LockKey}) AS \"Value\"").SingleAsync(CancellationToken.None);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One batch of letters: found through the partial index of rows not anonymised yet, changed in one short transaction.</summary>
    private async Task<(int, TimeSpan)> NoticesBatchAsync(DateTimeOffset cutoff, int size, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await db.Notices
            .Where(n => EF.Property<DateTimeOffset?>(n, RetentionColumns.AnonymisedAt) == null && n.CreatedAt < cutoff
                && n.Status != NoticeStatus.Pending && n.Status != NoticeStatus.Sending)
            .OrderBy(n => n.CreatedAt)
            .Select(n => n.Id)
            .Take(size)
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return (0, TimeSpan.Zero);
        }

        // Rows are locked from the first update to the commit.
        var locking = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var changed = await db.Notices
            .Where(n => ids.Contains(n.Id) && EF.Property<DateTimeOffset?>(n, RetentionColumns.AnonymisedAt) == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.Recipients, new List<string>())
                    .SetProperty(n => n.SentTo, new List<string>())
                    .SetProperty(n => n.Args, new JsonObject())
                    .SetProperty(n => n.Reason, n => n.Reason != null && n.Reason.Contains("@") ? RemovedText : n.Reason)
                    .SetProperty(n => EF.Property<DateTimeOffset?>(n, RetentionColumns.AnonymisedAt), now),
                cancellationToken);
        await db.Timeline
            .Where(t => ids.Contains(t.NoticeId) && t.Detail != null && t.Detail.Contains("@"))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Detail, RemovedText), cancellationToken);
        foreach (var holder in letterData)
        {
            await holder.AnonymiseAsync(ids, RemovedText, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (changed, Stopwatch.GetElapsedTime(locking));
    }

    private async Task<(int, TimeSpan)> EventsBatchAsync(DateTimeOffset cutoff, int size, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await db.Events
            .Where(e => EF.Property<DateTimeOffset?>(e, RetentionColumns.AnonymisedAt) == null && e.ReceivedAt < cutoff && e.Status != EventStatus.Waiting)
            .OrderBy(e => e.ReceivedAt)
            .Select(e => e.EventId)
            .Take(size)
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return (0, TimeSpan.Zero);
        }

        var locking = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var changed = await db.Events
            .Where(e => ids.Contains(e.EventId) && EF.Property<DateTimeOffset?>(e, RetentionColumns.AnonymisedAt) == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.Payload, ExpiredPayload)
                    .SetProperty(e => e.ParkedPayload, (string?)null)
                    .SetProperty(e => EF.Property<DateTimeOffset?>(e, RetentionColumns.AnonymisedAt), now),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (changed, Stopwatch.GetElapsedTime(locking));
    }

    /// <summary>Audit records about letters and events carry their arguments and addresses: their payloads go; who did what, when, to which target stays.</summary>
    private async Task<(int, TimeSpan)> AuditBatchAsync(DateTimeOffset cutoff, int size, CancellationToken cancellationToken)
    {
        var locking = Stopwatch.GetTimestamp();
        var changed = await db.Audit
            .Where(a => a.At < cutoff && (a.Before != null || a.After != null)
                && (a.TargetType == AuditTargets.Notice || a.TargetType == AuditTargets.Event))
            .OrderBy(a => a.Id)
            .Take(size)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Before, (string?)null).SetProperty(a => a.After, (string?)null), cancellationToken);
        return (changed, Stopwatch.GetElapsedTime(locking));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: another instance is running it; this one skips")]
    private partial void LogBusy();

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention before {Cutoff}: {Notices} letters, {Events} events, {Audit} audit records anonymised in {Batches} batches; longest batch {LongestMs} ms, rows locked at most {LockMs} ms, total {TotalMs} ms")]
    private partial void LogDone(DateTimeOffset cutoff, int notices, int events, int audit, int batches, double longestMs, double lockMs, double totalMs);
}

/// <summary>Runs <see cref="Retention"/> on <c>Retention:Schedule</c>.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(Retention retention) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.RunAsync(cancellationToken);
}
