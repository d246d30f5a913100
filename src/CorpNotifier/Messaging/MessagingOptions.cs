using System.ComponentModel.DataAnnotations;
using MassTransit;

namespace CorpNotifier.Messaging;

/// <summary>Section <c>Messaging</c>: endpoint names and consumer concurrency.</summary>
public sealed class MessagingOptions
{
    /// <summary>Prefix of every queue this service owns, e.g. <c>corp-notifier-balance-changed</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]*$", ErrorMessage = "must be kebab-case")]
    public string EndpointPrefix { get; set; } = "corp-notifier";

    /// <summary>Events one instance processes at once, per event type.</summary>
    [Range(1, 256)]
    public int EventConcurrency { get; set; } = 8;

    /// <summary>
    /// Most events the bus's consumers process together, in one transaction with one commit
    /// (<c>Intake/EventBatches</c>); 1 processes each event in its own transaction. An event's
    /// queue then takes up to twice this many messages at once (<see cref="EventMessageLimit"/>),
    /// so keep <c>RabbitMq:PrefetchCount</c> at least as large.
    /// </summary>
    [Range(1, 500)]
    public int EventBatchSize { get; set; } = 32;

    /// <summary>
    /// How long a batch waits for more events after its first before it is processed with what it has
    /// (when it waits at all: <see cref="EventBatchWait"/>). While a batch runs the next one fills, so
    /// under load batches are full before this passes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan EventBatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// When a batch that is not full waits for more events: <see cref="EventBatchWait.WhileBusy"/>
    /// (only while another batch is in the database; an event that finds it idle goes at once) or
    /// <see cref="EventBatchWait.Always"/> (every batch waits up to the time limit: fewer,
    /// fuller commits at moderate rates, each event later by up to that limit).
    /// </summary>
    [EnumDataType(typeof(EventBatchWait))]
    public EventBatchWait EventBatchWait { get; set; } = EventBatchWait.WhileBusy;

    /// <summary>
    /// Messages an event's queue takes at once: two batches' worth, or its concurrency when larger.
    /// A consumer holds its message until its batch is committed, so with one batch's worth the
    /// next batch could not fill while one is in the database: the intake went from the database
    /// to the broker and back, with the cores a fifth idle (docs/benchmarks.md).
    /// </summary>
    public int EventMessageLimit => Math.Max(EventConcurrency, 2 * EventBatchSize);

    /// <summary>
    /// In-process retries of a message whose consumer failed, before it faults to its error queue
    /// (MassTransit's exponential retry). Database outages do not count: they are waited out. The
    /// first four retries of an event also wait for its client's profile or contract.
    /// </summary>
    [Range(4, 100)]
    public int RetryLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Applies this retry to an endpoint; database outages pass through to the gate.</summary>
    public void ApplyRetry(IRetryConfigurator retry)
    {
        retry.Ignore<Exception>(Persistence.DatabaseFaults.IsUnavailable);
        retry.Exponential(RetryLimit, RetryMinInterval, RetryMaxInterval, RetryIntervalDelta);
    }
}

/// <summary>Section <c>RabbitMq</c>, read when <c>Transport = RabbitMq</c>.</summary>
public sealed class RabbitMqOptions
{
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    /// <summary>A secret: never logged.</summary>
    [Required]
    public string Password { get; set; } = "guest";

    public bool UseTls { get; set; }

    /// <summary>Declare the service's queues as quorum queues (broker HA on a RabbitMQ cluster).</summary>
    public bool QuorumQueues { get; set; }

    /// <summary>Messages the broker pushes ahead to each consumer: at least <see cref="MessagingOptions.EventMessageLimit"/>, so the event queues' batches fill.</summary>
    [Range(1, 1000)]
    public ushort PrefetchCount { get; set; } = 64;
}
