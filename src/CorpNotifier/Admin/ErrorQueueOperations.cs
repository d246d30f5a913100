using CorpNotifier.Operations;
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
}

/// <summary>The service's error queues and their counts, or why they could not be counted.</summary>
public sealed record ErrorQueuesOverview(IReadOnlyList<ErrorQueueCount>? Queues, ErrorQueueProblem? Problem, string? Message);

/// <summary>The first messages of one error queue (null contents: not declared yet, nothing faulted there), or why they could not be read.</summary>
public sealed record ErrorQueuePeek(string Queue, QueueContents? Contents, ErrorQueueProblem? Problem, string? Message);

/// <summary>
/// The service's error queues for operators, in the console: counted and read through
/// <see cref="ErrorQueues"/>, the same code as the <c>errors</c> commands.
/// </summary>
public sealed class ErrorQueueOperations(ErrorQueues queues)
{
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

    public string NotOurs(string queue) => $"'{queue}' is not one of this service's error queues: {string.Join(", ", queues.Names)}.";

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
}
