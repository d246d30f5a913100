using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Operations;
using CorpNotifier.Persistence;
using RabbitMQ.Client.Exceptions;

namespace CorpNotifier.Admin;

/// <summary>Why an error queue could not be read or changed.</summary>
public enum ErrorQueueProblem
{
    /// <summary>The service runs on the in-memory bus, which keeps no error queues.</summary>
    InMemoryBus,

    /// <summary>Not one of the service's error queues.</summary>
    NotOurs,

    /// <summary>RabbitMQ could not be reached, or did not answer in time.</summary>
    Unreachable,

    /// <summary>RabbitMQ refused the work (its message says why: a queue that does not exist, a message it did not take back).</summary>
    Failed,
}

/// <summary>The outcome of a replay or a purge from the console.</summary>
public abstract record ErrorQueueResult
{
    /// <summary>Done. <see cref="Audited"/> is false when the audit record could not be written (the service's log has it).</summary>
    public sealed record Replayed(ReplayResult Result, bool Audited) : ErrorQueueResult;

    /// <summary>Done. <see cref="Audited"/> is false when the audit record could not be written (the service's log has it).</summary>
    public sealed record Purged(PurgeResult Result, bool Audited) : ErrorQueueResult;

    public sealed record Forbidden(string Message) : ErrorQueueResult;

    public sealed record Refused(ErrorQueueProblem Problem, string Message) : ErrorQueueResult;
}

/// <summary>The service's error queues and their counts, or why they could not be counted.</summary>
public sealed record ErrorQueuesOverview(IReadOnlyList<ErrorQueueCount>? Queues, ErrorQueueProblem? Problem, string? Message);

/// <summary>The first messages of one error queue (null contents: not declared yet, nothing faulted there), or why they could not be read.</summary>
public sealed record ErrorQueuePeek(string Queue, QueueContents? Contents, ErrorQueueProblem? Problem, string? Message);

/// <summary>
/// The service's error queues for operators, in the console: counted, read, replayed (operators)
/// and purged (admins) through <see cref="ErrorQueues"/>, the same code as the <c>errors</c>
/// commands, each replay and purge audited: who, which queue, how many, which messages. The broker
/// and the database share no transaction: the audit record is written once the broker is done, and
/// should it fail, the log keeps the same facts.
/// </summary>
public sealed partial class ErrorQueueOperations(ErrorQueues queues, NoticesDbContext db, TimeProvider time, ILogger<ErrorQueueOperations> logger)
{
    /// <summary>The most message ids an audit record lists; the count is always whole.</summary>
    public const int AuditedIds = 1000;

    public const string OperatorsOnly = "Only operators and admins may replay an error queue.";
    public const string AdminsOnly = "Only admins may purge an error queue.";

    private static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    public async Task<ErrorQueuesOverview> OverviewAsync(CancellationToken cancellationToken)
    {
        if (!queues.Available)
        {
            return new ErrorQueuesOverview(null, ErrorQueueProblem.InMemoryBus, ErrorQueues.InMemoryBus);
        }

        try
        {
            using var timeout = Timeout(CountTimeout, cancellationToken);
            return new ErrorQueuesOverview(await queues.CountAsync(null, timeout.Token), null, null);
        }
        catch (Exception ex) when (IsBrokerFailure(ex, cancellationToken))
        {
            return new ErrorQueuesOverview(null, ErrorQueueProblem.Unreachable, Describe(ex, CountTimeout));
        }
    }

    /// <summary>The first <paramref name="max"/> messages of one of the service's error queues, read and handed back in their place.</summary>
    public async Task<ErrorQueuePeek> PeekAsync(string queue, int max, CancellationToken cancellationToken)
    {
        if (!queues.Available)
        {
            return new ErrorQueuePeek(queue, null, ErrorQueueProblem.InMemoryBus, ErrorQueues.InMemoryBus);
        }

        if (!queues.Names.Contains(queue, StringComparer.Ordinal))
        {
            return new ErrorQueuePeek(queue, null, ErrorQueueProblem.NotOurs, NotOurs(queue));
        }

        try
        {
            using var timeout = Timeout(ReadTimeout, cancellationToken);
            return new ErrorQueuePeek(queue, await queues.PeekAsync(queue, max, keep: null, timeout.Token), null, null);
        }
        catch (Exception ex) when (IsBrokerFailure(ex, cancellationToken))
        {
            return new ErrorQueuePeek(queue, null, ErrorQueueProblem.Unreachable, Describe(ex, ReadTimeout));
        }
    }

    /// <summary>Moves the messages of one of the service's error queues back to their queue, once: all of them, or those with <paramref name="messageIds"/>.</summary>
    public async Task<ErrorQueueResult> ReplayAsync(string queue, IReadOnlyCollection<string>? messageIds, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.MayOperate)
        {
            LogRefused(AuditActions.ReplayErrors, actor.Name, actor.Role);
            return new ErrorQueueResult.Forbidden(OperatorsOnly);
        }

        if (Refusal(queue) is { } refused)
        {
            return refused;
        }

        ReplayResult result;
        try
        {
            result = await queues.ReplayAsync(queue, messageIds, onMoved: null, cancellationToken);
        }
        catch (Exception ex) when (ex is OperatorException or RabbitMQClientException)
        {
            return new ErrorQueueResult.Refused(ex is OperatorException ? ErrorQueueProblem.Failed : ErrorQueueProblem.Unreachable, ex.Message);
        }

        var audited = await AuditAsync(AuditActions.ReplayErrors, queue, actor, result.Moved, new
        {
            queue,
            target = result.Target,
            read = result.Read,
            moved = result.Moved.Count,
            missing = result.Missing,
        }, cancellationToken);
        return new ErrorQueueResult.Replayed(result, audited);
    }

    /// <summary>Removes the messages ready in one of the service's error queues; admins only.</summary>
    public async Task<ErrorQueueResult> PurgeAsync(string queue, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.MayAdminister)
        {
            LogRefused(AuditActions.PurgeErrors, actor.Name, actor.Role);
            return new ErrorQueueResult.Forbidden(AdminsOnly);
        }

        if (Refusal(queue) is { } refused)
        {
            return refused;
        }

        PurgeResult result;
        try
        {
            result = await queues.PurgeAsync(queue, cancellationToken);
        }
        catch (Exception ex) when (ex is OperatorException or RabbitMQClientException)
        {
            return new ErrorQueueResult.Refused(ex is OperatorException ? ErrorQueueProblem.Failed : ErrorQueueProblem.Unreachable, ex.Message);
        }

        var audited = await AuditAsync(AuditActions.PurgeErrors, queue, actor, result.Removed, new { queue, removed = result.Removed.Count }, cancellationToken);
        return new ErrorQueueResult.Purged(result, audited);
    }

    public string NotOurs(string queue) => $"'{queue}' is not one of this service's error queues: {string.Join(", ", queues.Names)}.";

    private ErrorQueueResult.Refused? Refusal(string queue) =>
        !queues.Available ? new ErrorQueueResult.Refused(ErrorQueueProblem.InMemoryBus, ErrorQueues.InMemoryBus)
        : !queues.Names.Contains(queue, StringComparer.Ordinal) ? new ErrorQueueResult.Refused(ErrorQueueProblem.NotOurs, NotOurs(queue))
        : null;

    /// <summary>The audit record of a replay or a purge: the facts, and the ids of the messages it took (up to <see cref="AuditedIds"/>).</summary>
    private async Task<bool> AuditAsync(string action, string queue, Actor actor, IReadOnlyList<MovedMessage> messages, object facts, CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => m.MessageId ?? "(no id)").ToList();
        var after = JsonSerializer.SerializeToNode(facts, AppJson.Options)!.AsObject();
        after["messageIds"] = JsonSerializer.SerializeToNode(ids.Take(AuditedIds).ToList(), AppJson.Options);
        if (ids.Count > AuditedIds)
        {
            after["moreMessageIds"] = ids.Count - AuditedIds;
        }

        db.Audit.Add(new AuditRecord
        {
            At = time.GetUtcNow(),
            Actor = actor.Name,
            Role = actor.Role,
            Action = action,
            TargetType = AuditTargets.ErrorQueue,
            TargetId = queue,
            After = after.ToJsonString(AppJson.Options),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogDone(action, queue, messages.Count, actor.Name);
            return true;
        }
        catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException)
        {
            db.ChangeTracker.Clear();
            LogNotAudited(ex, action, queue, messages.Count, actor.Name, string.Join(", ", ids));
            return false;
        }
    }

    private static CancellationTokenSource Timeout(TimeSpan after, CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(after);
        return timeout;
    }

    /// <summary>The broker failed or did not answer in time (not: the request itself was cancelled).</summary>
    private static bool IsBrokerFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is OperatorException or RabbitMQClientException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Describe(Exception ex, TimeSpan timeout) =>
        ex is OperationCanceledException ? $"RabbitMQ did not answer in {timeout.TotalSeconds:0} s." : ex.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {Action} refused to {Actor} ({Role})")]
    private partial void LogRefused(string action, string actor, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} of {Queue}: {Count} message(s), by {Actor}")]
    private partial void LogDone(string action, string queue, int count, string actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Action} of {Queue} done ({Count} message(s), by {Actor}) but its audit record could not be written; message ids: {MessageIds}")]
    private partial void LogNotAudited(Exception exception, string action, string queue, int count, string actor, string messageIds);
}
