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

    /// <summary>Messages the broker pushes ahead to each consumer.</summary>
    [Range(1, 1000)]
    public ushort PrefetchCount { get; set; } = 32;
}
