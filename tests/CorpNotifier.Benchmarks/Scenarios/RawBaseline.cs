using CorpNotifier.Benchmarks.Hosting;
using CorpNotifier.Benchmarks.Load;
using CorpNotifier.Benchmarks.Report;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1, what the servers allow without the service: RabbitMQ.Client publishes N
/// BalanceChanged-shaped JSON messages with publisher confirms to a durable queue while a consumer
/// with 8 concurrent handlers stores each with one Npgsql INSERT (jsonb payload, primary key on the
/// event id) and acks it. Events/s from the first to the last row stored, as for the service.
/// </summary>
public static class RawBaseline
{
    public const string Name = "1 raw baseline";
    private const string Queue = "bench-raw-events";

    /// <summary>Runs the baseline and returns its events/s.</summary>
    public static async Task<double> RunAsync(BenchSettings settings, BenchReport report)
    {
        var count = settings.RawEvents;
        await using var environment = await BenchEnvironment.CreateAsync(settings, "raw");
        await using (var create = environment.Database.CreateCommand("""
            CREATE TABLE raw_events (
                event_id varchar(128) PRIMARY KEY,
                payload jsonb NOT NULL,
                received_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

        var factory = new ConnectionFactory
        {
            HostName = environment.RabbitHost,
            Port = environment.RabbitPort,
            VirtualHost = environment.VirtualHost,
            UserName = environment.RabbitUser,
            Password = environment.RabbitPassword,
            ClientProvidedName = "corp-notifier-bench-raw-consumer",
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: 8));
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
        await channel.BasicQosAsync(0, 64, global: false);

        var stored = 0;
        var failures = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            try
            {
                await using var insert = environment.Database.CreateCommand(
                    "INSERT INTO raw_events (event_id, payload) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING");
                insert.Parameters.Add(new NpgsqlParameter { Value = delivery.BasicProperties.MessageId ?? Guid.NewGuid().ToString() });
                insert.Parameters.Add(new NpgsqlParameter { Value = System.Text.Encoding.UTF8.GetString(delivery.Body.Span), NpgsqlDbType = NpgsqlDbType.Jsonb });
                await insert.ExecuteNonQueryAsync();
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                Interlocked.Increment(ref stored);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                Interlocked.Increment(ref failures);
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
            }
        };
        await channel.BasicConsumeAsync(Queue, autoAck: false, consumer);

        var events = Enumerable.Range(0, count).Select(i => WireEvents.Balance(WireEvents.ClientOf(i % settings.Clients), 200m, 180m)).ToList();
        await using (var publisher = await EventPublisher.ConnectAsync(environment))
        {
            await publisher.PublishAllAsync(events, exchange: "", routingKey: Queue);
        }

        await Measure.WaitUntilAsync(() => Task.FromResult((long)Volatile.Read(ref stored)), count, "the raw consumer to store every message", []);
        var seconds = await SpanSecondsAsync(environment, "SELECT extract(epoch FROM max(received_at) - min(received_at)) FROM raw_events");
        var rate = (count - 1) / seconds;
        report.Add(Name, "events stored", Measure.Number(await environment.ScalarAsync("SELECT count(*) FROM raw_events")));
        report.Add(Name, "throughput (first → last row stored)", Measure.Rate(rate, "events"));
        if (failures > 0)
        {
            report.Note($"raw baseline: {failures} inserts failed and were redelivered");
        }

        return rate;
    }

    /// <summary>A span in seconds from a query answering <c>extract(epoch FROM …)</c>.</summary>
    public static async Task<double> SpanSecondsAsync(BenchEnvironment environment, string sql)
    {
        await using var command = environment.Database.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
