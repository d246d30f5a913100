using CorpNotifier.Benchmarks.Hosting;
using RabbitMQ.Client;

namespace CorpNotifier.Benchmarks.Load;

/// <summary>
/// Publishes raw JSON events as a producer without MassTransit does: persistent, <c>application/json</c>,
/// the event id as <c>message_id</c>, mandatory, with publisher confirms (a publish completes when the
/// broker confirmed it). Several channels, many publishes in flight on each.
/// </summary>
public sealed class EventPublisher : IAsyncDisposable
{
    /// <summary>The exchange that feeds the service's raw-event queue of the same name.</summary>
    public const string ServiceExchange = "corp-notifier-events";

    private readonly IConnection _connection;
    private readonly IReadOnlyList<IChannel> _channels;
    private readonly SemaphoreSlim _inFlight = new(512);
    private int _next;

    private EventPublisher(IConnection connection, IReadOnlyList<IChannel> channels)
    {
        _connection = connection;
        _channels = channels;
    }

    public static async Task<EventPublisher> ConnectAsync(BenchEnvironment environment, int channels = 4)
    {
        var factory = new ConnectionFactory
        {
            HostName = environment.RabbitHost,
            Port = environment.RabbitPort,
            VirtualHost = environment.VirtualHost,
            UserName = environment.RabbitUser,
            Password = environment.RabbitPassword,
            ClientProvidedName = "corp-notifier-bench-publisher",
        };
        var connection = await factory.CreateConnectionAsync();
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        var opened = new List<IChannel>();
        for (var i = 0; i < channels; i++)
        {
            opened.Add(await connection.CreateChannelAsync(options));
        }

        return new EventPublisher(connection, opened);
    }

    /// <summary>Publishes every event as fast as the broker confirms them; returns when all are confirmed.</summary>
    public async Task PublishAllAsync(IEnumerable<WireEvent> events, string exchange = ServiceExchange, string routingKey = "")
    {
        var pending = new List<Task>();
        foreach (var evt in events)
        {
            await _inFlight.WaitAsync();
            pending.Add(ReleasingAsync(PublishAsync(evt, exchange, routingKey)));
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Starts one publish; the task completes when the broker confirmed it.</summary>
    public Task PublishAsync(WireEvent evt, string exchange = ServiceExchange, string routingKey = "")
    {
        var channel = _channels[(int)((uint)Interlocked.Increment(ref _next) % (uint)_channels.Count)];
        var properties = new BasicProperties { ContentType = "application/json", MessageId = evt.EventId, Persistent = true };
        return channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, evt.Body).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            await channel.CloseAsync();
            await channel.DisposeAsync();
        }

        await _connection.CloseAsync();
        await _connection.DisposeAsync();
        _inFlight.Dispose();
    }

    private async Task ReleasingAsync(Task publish)
    {
        try
        {
            await publish;
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
