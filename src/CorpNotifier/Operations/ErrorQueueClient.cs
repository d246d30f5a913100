using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CorpNotifier.Operations;

/// <summary>The messages of a queue as read at one moment: how many were ready, and those read.</summary>
public sealed record QueueContents(string Queue, uint Count, IReadOnlyList<FaultedMessage> Messages);

/// <summary>
/// Error queues over AMQP. Reading never loses or reorders a message: each is taken with
/// <c>basic.get</c> without auto-ack and stays unacknowledged until the pass is done, then goes
/// back to its place (<c>basic.nack</c> with requeue). A pass reads at most the messages that were
/// ready when it started, so a message that comes back during the pass is not read twice.
/// </summary>
public sealed class ErrorQueueClient : IAsyncDisposable
{
    private const ushort NotFound = 404;
    private readonly IConnection _connection;

    private ErrorQueueClient(IConnection connection)
    {
        _connection = connection;
    }

    public static async Task<ErrorQueueClient> ConnectAsync(OperatorSettings settings, CancellationToken cancellationToken)
    {
        var rabbit = settings.RabbitMq;
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            ClientProvidedName = "corp-notifier errors (operator)",
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        if (rabbit.UseTls)
        {
            factory.Ssl = new SslOption { Enabled = true, ServerName = rabbit.Host };
        }

        try
        {
            return new ErrorQueueClient(await factory.CreateConnectionAsync(cancellationToken));
        }
        catch (BrokerUnreachableException ex)
        {
            throw new OperatorException($"cannot connect to RabbitMQ at {settings.Broker}: {Innermost(ex)}");
        }
    }

    /// <summary>Messages ready in a queue; null when the queue does not exist.</summary>
    public async Task<uint?> CountAsync(string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel: use one of its own.
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="max"/> of the ready messages, keeps those <paramref name="keep"/>
    /// accepts, and hands every one back to the queue in its place.
    /// </summary>
    public async Task<QueueContents> PeekAsync(string queue, int max, Func<FaultedMessage, bool>? keep, CancellationToken cancellationToken)
    {
        var count = await CountAsync(queue, cancellationToken) ?? throw Missing(queue);
        var kept = new List<FaultedMessage>();
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        ulong last = 0;
        try
        {
            for (var position = 1; position <= Math.Min(count, (uint)max); position++)
            {
                var got = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
                if (got is null)
                {
                    break;
                }

                last = got.DeliveryTag;
                var message = new FaultedMessage(queue, position, got.BasicProperties, got.Body);
                if (keep is null || keep(message))
                {
                    kept.Add(message);
                }
            }
        }
        finally
        {
            await ReturnAllAsync(channel, last);
        }

        return new QueueContents(queue, count, kept);
    }

    /// <summary>
    /// One pass over the messages ready in <paramref name="errorQueue"/> when it starts: each one
    /// <paramref name="selected"/> accepts is published back to its queue through the default
    /// exchange (only that queue gets it) with publisher confirms, and removed from the error queue
    /// once the broker confirmed; every other message goes back untouched. Returns how many were
    /// read. A message that faults again comes back to the error queue after the pass's messages,
    /// so it is not read again.
    /// </summary>
    public async Task<int> ReplayAsync(string errorQueue, Func<FaultedMessage, bool> selected, Func<FaultedMessage, Task> moved, CancellationToken cancellationToken)
    {
        var target = ServiceQueues.SourceOf(errorQueue);
        var count = await CountAsync(errorQueue, cancellationToken) ?? throw Missing(errorQueue);
        if (await CountAsync(target, cancellationToken) is null)
        {
            throw new OperatorException($"queue {target} does not exist: start the service once so it declares its queues, then replay");
        }

        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var channel = await _connection.CreateChannelAsync(options, cancellationToken);
        // The highest delivery tag still unacknowledged: the nack that returns the rest must not
        // name a tag already acked, or the broker closes the channel (unknown delivery tag).
        ulong unacked = 0;
        var read = 0;
        try
        {
            for (var position = 1; position <= count; position++)
            {
                // Stop between messages only: a message is either moved (published, confirmed, acked) or left.
                cancellationToken.ThrowIfCancellationRequested();
                var got = await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken);
                if (got is null)
                {
                    break;
                }

                var previous = unacked;
                unacked = got.DeliveryTag;
                read++;
                var message = new FaultedMessage(errorQueue, position, got.BasicProperties, got.Body);
                if (!selected(message))
                {
                    continue;
                }

                try
                {
                    // With confirmation tracking, this returns once the broker confirmed, and throws
                    // when it refused the message or could not route it (mandatory).
                    await channel.BasicPublishAsync("", target, mandatory: true, message.ReplayProperties(), message.Body, CancellationToken.None);
                }
                catch (PublishException ex)
                {
                    throw new OperatorException(
                        $"the broker did not take message {message.MessageId ?? "(no id)"} back to {target}{(ex is PublishReturnException r ? $" ({r.ReplyText})" : "")}; it stays in {errorQueue}");
                }

                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, CancellationToken.None);
                unacked = previous;
                await moved(message);
            }
        }
        finally
        {
            await ReturnAllAsync(channel, unacked);
        }

        return read;
    }

    /// <summary>
    /// Removes the messages ready in <paramref name="queue"/> when it starts, one by one, and
    /// returns them as they were (a message that arrives meanwhile stays): so the caller knows
    /// exactly which messages are gone.
    /// </summary>
    public async Task<IReadOnlyList<FaultedMessage>> PurgeAsync(string queue, CancellationToken cancellationToken)
    {
        var count = await CountAsync(queue, cancellationToken) ?? throw Missing(queue);
        var removed = new List<FaultedMessage>();
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        for (var position = 1; position <= count; position++)
        {
            // Stop between messages only: a message is either removed (acked) or left.
            cancellationToken.ThrowIfCancellationRequested();
            var got = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            if (got is null)
            {
                break;
            }

            await channel.BasicAckAsync(got.DeliveryTag, multiple: false, CancellationToken.None);
            removed.Add(new FaultedMessage(queue, position, got.BasicProperties, ReadOnlyMemory<byte>.Empty));
        }

        return removed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsOpen)
        {
            await _connection.CloseAsync();
        }

        _connection.Dispose();
    }

    /// <summary>Hands back every message still unacknowledged on the channel, in its original place.</summary>
    private static async Task ReturnAllAsync(IChannel channel, ulong lastDeliveryTag)
    {
        if (lastDeliveryTag > 0 && channel.IsOpen)
        {
            // Closing the channel would return them too; the nack makes it explicit and immediate.
            await channel.BasicNackAsync(lastDeliveryTag, multiple: true, requeue: true, CancellationToken.None);
        }
    }

    private static OperatorException Missing(string queue) =>
        new($"queue {queue} does not exist (nothing has faulted there yet, or the service never ran with this configuration)");

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return FaultedMessage.OneLine(ex.Message);
    }
}
