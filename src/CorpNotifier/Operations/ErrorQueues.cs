using CorpNotifier.Hosting;

namespace CorpNotifier.Operations;

/// <summary>An error queue and how many messages it holds; null when it is not declared (nothing has faulted there yet).</summary>
public sealed record ErrorQueueCount(string Queue, uint? Count);

/// <summary>A message a replay or a purge took out of an error queue.</summary>
public sealed record MovedMessage(string? MessageId, string MessageType);

/// <summary>A replay: from which error queue to which queue, how many messages it read, those it moved, and the ids asked for that were not there.</summary>
public sealed record ReplayResult(string ErrorQueue, string Target, int Read, IReadOnlyList<MovedMessage> Moved, IReadOnlyList<string> Missing);

/// <summary>A purge: the error queue and the messages it removed.</summary>
public sealed record PurgeResult(string ErrorQueue, IReadOnlyList<MovedMessage> Removed);

/// <summary>
/// The service's error queues, where MassTransit moves a message whose consumer failed: counted,
/// read, replayed and purged the same way by the <c>errors</c> commands and by the console. Only
/// the service's own error queues are touched. On the in-memory bus there are none to reach, and
/// every use says so at once, before anything tries to connect.
/// </summary>
public sealed class ErrorQueues(OperatorSettings settings)
{
    public const string InMemoryBus =
        "the in-memory bus (Transport=InMemory, the embedded default) keeps no error queues: a message that faults there "
        + "stays inside the service's process and is gone when it stops. Error queues exist with Transport=RabbitMq";

    public bool Available => settings.Transport == TransportKind.RabbitMq;

    /// <summary>The service's error queues, e.g. <c>corp-notifier-events_error</c>.</summary>
    public IReadOnlyList<string> Names => ServiceQueues.ErrorQueues(settings.EndpointPrefix);

    /// <summary>The error queue an operator means (its name, its queue's, or its endpoint's); null when none of the service's.</summary>
    public string? Resolve(string typed) => ServiceQueues.ResolveErrorQueue(settings.EndpointPrefix, typed);

    /// <summary>A connection to the broker for one piece of work; refused at once on the in-memory bus.</summary>
    public Task<ErrorQueueClient> ConnectAsync(CancellationToken cancellationToken) =>
        Available
            ? ErrorQueueClient.ConnectAsync(settings, cancellationToken)
            : throw new OperatorException(InMemoryBus);

    /// <summary>How many messages each of the service's error queues (or the ones named) holds.</summary>
    public async Task<IReadOnlyList<ErrorQueueCount>> CountAsync(IReadOnlyList<string>? queues, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(cancellationToken);
        var counts = new List<ErrorQueueCount>();
        foreach (var queue in queues ?? Names)
        {
            counts.Add(new ErrorQueueCount(queue, await client.CountAsync(queue, cancellationToken)));
        }

        return counts;
    }

    /// <summary>For each error queue (null: not declared), its count and its first <paramref name="max"/> messages, read and handed back in their place.</summary>
    public async Task<IReadOnlyList<(string Queue, QueueContents? Contents)>> ListAsync(IReadOnlyList<string> queues, int max, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(cancellationToken);
        var listed = new List<(string, QueueContents?)>();
        foreach (var queue in queues)
        {
            listed.Add((queue, await client.CountAsync(queue, cancellationToken) is null ? null : await client.PeekAsync(queue, max, keep: null, cancellationToken)));
        }

        return listed;
    }

    /// <summary>Every message with the id <paramref name="messageId"/> in the error queues named, each with its queue's count.</summary>
    public async Task<IReadOnlyList<(FaultedMessage Message, uint QueueCount)>> FindAsync(IReadOnlyList<string> queues, string messageId, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(cancellationToken);
        var found = new List<(FaultedMessage, uint)>();
        foreach (var queue in queues)
        {
            if (await client.CountAsync(queue, cancellationToken) is null)
            {
                continue;
            }

            var contents = await client.PeekAsync(queue, int.MaxValue, m => m.MessageId == messageId, cancellationToken);
            found.AddRange(contents.Messages.Select(m => (m, contents.Count)));
        }

        return found;
    }

    /// <summary>The first <paramref name="max"/> messages of an error queue (those <paramref name="keep"/> accepts), read and handed back in their place; null when the queue is not declared.</summary>
    public async Task<QueueContents?> PeekAsync(string errorQueue, int max, Func<FaultedMessage, bool>? keep, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(cancellationToken);
        return await client.CountAsync(errorQueue, cancellationToken) is null
            ? null
            : await client.PeekAsync(errorQueue, max, keep, cancellationToken);
    }

    /// <summary>
    /// Moves the messages of an error queue back to their queue, once: every message ready when the
    /// replay starts, or those with the ids in <paramref name="messageIds"/>. <paramref name="onMoved"/>
    /// hears of each message as soon as the broker confirmed it.
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(string errorQueue, IReadOnlyCollection<string>? messageIds, Func<MovedMessage, Task>? onMoved, CancellationToken cancellationToken)
    {
        var target = ServiceQueues.SourceOf(errorQueue);
        var wanted = messageIds?.ToHashSet(StringComparer.Ordinal);
        var moved = new List<MovedMessage>();
        await using var client = await ConnectAsync(cancellationToken);
        var read = await client.ReplayAsync(
            errorQueue,
            message => wanted is null || (message.MessageId is { } id && wanted.Contains(id)),
            async message =>
            {
                var one = new MovedMessage(message.MessageId, message.MessageType);
                moved.Add(one);
                if (onMoved is not null)
                {
                    await onMoved(one);
                }
            },
            cancellationToken);
        var missing = wanted?.Except(moved.Select(m => m.MessageId ?? ""), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? [];
        return new ReplayResult(errorQueue, target, read, moved, missing);
    }

    /// <summary>Removes the messages ready in an error queue when the purge starts, and says which they were.</summary>
    public async Task<PurgeResult> PurgeAsync(string errorQueue, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(cancellationToken);
        var removed = await client.PurgeAsync(errorQueue, cancellationToken);
        return new PurgeResult(errorQueue, [.. removed.Select(m => new MovedMessage(m.MessageId, m.MessageType))]);
    }
}
