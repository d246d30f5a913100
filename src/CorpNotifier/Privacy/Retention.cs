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

/// <summary>
/// What a retention run did: rows anonymised per table, batches, the longest batch, and the longest
/// and 99th percentile statement (a statement is a transaction: the longest any row lock was held).
/// </summary>
public sealed record RetentionReport(DateTimeOffset Cutoff, int Notices, int Events, int AuditRecords, int Batches, TimeSpan Longest, TimeSpan LongestLock, TimeSpan LockP99, TimeSpan Total)
{
    public int Rows => Notices + Events + AuditRecords;
}

/// <summary>
/// Anonymises what is older than <c>Retention:Days</c>: letters' recipients, addresses sent to and
/// arguments (and a reason or timeline detail that quotes an address); events' payloads; the
/// payloads of audit records about letters and events. Counts, statuses, kinds, times and the
/// timelines' steps stay. Pending and sending letters, and parked events, are never touched.
/// Works in batches of <c>Retention:BatchSize</c> rows. Each statement of a batch is its own
/// transaction, so a row stays locked for one statement at most: a letter's timeline and the other
/// holders' rows (<see cref="ILetterDataRetention"/>) are cleared first, and the letter itself,
/// with its <c>anonymised_at</c> mark, last — a run stopped between them finds the letter unmarked
/// and clears it again (every statement may run twice). Each update is conditional on the row not
/// being anonymised yet, and on PostgreSQL one instance at a time runs it (a session advisory
/// lock), so it is safe on every instance at once. The statements are compiled and run once on no
/// row before the first batch, so no batch pays for their compilation.
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
                var statements = new List<TimeSpan>();
                var batches = 0;
                await WarmUpAsync(settings.BatchSize, cancellationToken);
                async Task<int> DrainAsync(Func<DateTimeOffset, Task<(int Rows, List<TimeSpan> Statements)>> batch)
                {
                    var total = 0;
                    while (true)
                    {
                        var begun = Stopwatch.GetTimestamp();
                        (var done, var timed) = await batch(cutoff);
                        var took = Stopwatch.GetElapsedTime(begun);
                        if (done == 0)
                        {
                            return total;
                        }

                        batches++;
                        longest = took > longest ? took : longest;
                        statements.AddRange(timed);
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
                statements.Sort();
                var longestLock = statements.Count == 0 ? TimeSpan.Zero : statements[^1];
                var lockP99 = statements.Count == 0 ? TimeSpan.Zero : statements[Math.Max(0, (int)Math.Ceiling(statements.Count * 0.99) - 1)];
                var report = new RetentionReport(cutoff, notices, events, audit, batches, longest, longestLock, lockP99, Stopwatch.GetElapsedTime(started));
                LogDone(cutoff, notices, events, audit, batches, longest.TotalMilliseconds, longestLock.TotalMilliseconds, report.Total.TotalMilliseconds, statements.Count, lockP99.TotalMilliseconds);
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

    /// <summary>
    /// Compiles and runs every statement of a batch once on a batch-sized list of ids no row has, so
    /// that the first batch's statements take no longer than the others'.
    /// </summary>
    private async Task WarmUpAsync(int size, CancellationToken cancellationToken)
    {
        var none = Enumerable.Repeat(-1L, size).ToList();
        await AnonymiseLettersAsync(none, cancellationToken);
        await AnonymiseEventsAsync(none.Select(_ => "").ToList(), cancellationToken);
    }

    /// <summary>One batch of letters: found through the partial index of rows not anonymised yet, then changed statement by statement, the letters' own rows last.</summary>
    private async Task<(int, List<TimeSpan>)> NoticesBatchAsync(DateTimeOffset cutoff, int size, CancellationToken cancellationToken)
    {
        var ids = await db.Notices
            .Where(n => EF.Property<DateTimeOffset?>(n, RetentionColumns.AnonymisedAt) == null && n.CreatedAt < cutoff
                && n.Status != NoticeStatus.Pending && n.Status != NoticeStatus.Sending)
            .OrderBy(n => n.CreatedAt)
            .Select(n => n.Id)
            .Take(size)
            .ToListAsync(cancellationToken);
        return ids.Count == 0 ? (0, []) : await AnonymiseLettersAsync(ids, cancellationToken);
    }

    private async Task<(int, List<TimeSpan>)> AnonymiseLettersAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var timed = new List<TimeSpan>();
        async Task<int> TimedAsync(Func<Task<int>> statement)
        {
            var begun = Stopwatch.GetTimestamp();
            var rows = await statement();
            timed.Add(Stopwatch.GetElapsedTime(begun));
            return rows;
        }

        await TimedAsync(() => db.Timeline
            .Where(t => ids.Contains(t.NoticeId) && t.Detail != null && t.Detail.Contains("@"))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Detail, RemovedText), cancellationToken));
        foreach (var holder in letterData)
        {
            await TimedAsync(() => holder.AnonymiseAsync(ids, RemovedText, cancellationToken));
        }

        var now = time.GetUtcNow();
        var changed = await TimedAsync(() => db.Notices
            .Where(n => ids.Contains(n.Id) && EF.Property<DateTimeOffset?>(n, RetentionColumns.AnonymisedAt) == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.Recipients, new List<string>())
                    .SetProperty(n => n.SentTo, new List<string>())
                    .SetProperty(n => n.Args, new JsonObject())
                    .SetProperty(n => n.Reason, n => n.Reason != null && n.Reason.Contains("@") ? RemovedText : n.Reason)
                    .SetProperty(n => EF.Property<DateTimeOffset?>(n, RetentionColumns.AnonymisedAt), now),
                cancellationToken));
        return (changed, timed);
    }

    private async Task<(int, List<TimeSpan>)> EventsBatchAsync(DateTimeOffset cutoff, int size, CancellationToken cancellationToken)
    {
        var ids = await db.Events
            .Where(e => EF.Property<DateTimeOffset?>(e, RetentionColumns.AnonymisedAt) == null && e.ReceivedAt < cutoff && e.Status != EventStatus.Waiting)
            .OrderBy(e => e.ReceivedAt)
            .Select(e => e.EventId)
            .Take(size)
            .ToListAsync(cancellationToken);
        return ids.Count == 0 ? (0, []) : await AnonymiseEventsAsync(ids, cancellationToken);
    }

    private async Task<(int, List<TimeSpan>)> AnonymiseEventsAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var begun = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var changed = await db.Events
            .Where(e => ids.Contains(e.EventId) && EF.Property<DateTimeOffset?>(e, RetentionColumns.AnonymisedAt) == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.Payload, ExpiredPayload)
                    .SetProperty(e => e.ParkedPayload, (string?)null)
                    .SetProperty(e => EF.Property<DateTimeOffset?>(e, RetentionColumns.AnonymisedAt), now),
                cancellationToken);
        return (changed, [Stopwatch.GetElapsedTime(begun)]);
    }

    /// <summary>Audit records about letters and events carry their arguments and addresses: their payloads go; who did what, when, to which target stays.</summary>
    private async Task<(int, List<TimeSpan>)> AuditBatchAsync(DateTimeOffset cutoff, int size, CancellationToken cancellationToken)
    {
        var begun = Stopwatch.GetTimestamp();
        var changed = await db.Audit
            .Where(a => a.At < cutoff && (a.Before != null || a.After != null)
                && (a.TargetType == AuditTargets.Notice || a.TargetType == AuditTargets.Event))
            .OrderBy(a => a.Id)
            .Take(size)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Before, (string?)null).SetProperty(a => a.After, (string?)null), cancellationToken);
        return (changed, [Stopwatch.GetElapsedTime(begun)]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: another instance is running it; this one skips")]
    private partial void LogBusy();

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention before {Cutoff}: {Notices} letters, {Events} events, {Audit} audit records anonymised in {Batches} batches; longest batch {LongestMs} ms, rows locked at most {LockMs} ms, total {TotalMs} ms; {Statements} statements, 99 % under {LockP99Ms} ms")]
    private partial void LogDone(DateTimeOffset cutoff, int notices, int events, int audit, int batches, double longestMs, double lockMs, double totalMs, int statements, double lockP99Ms);
}

/// <summary>Runs <see cref="Retention"/> on <c>Retention:Schedule</c>.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(Retention retention) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.RunAsync(cancellationToken);
}
