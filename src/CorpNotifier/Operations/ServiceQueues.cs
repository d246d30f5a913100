using CorpNotifier.Intake;

namespace CorpNotifier.Operations;

/// <summary>
/// The queues the service consumes from, and their error queues (<c>{queue}_error</c>), where
/// MassTransit moves a message whose consumer failed. The one list the operator commands use;
/// <c>ServiceQueuesTests</c> checks it against the endpoints the service's bus declares.
/// </summary>
public static class ServiceQueues
{
    public const string ErrorSuffix = "_error";

    /// <summary>
    /// Endpoint names after the prefix: one per event type (<see cref="EventType.Queue"/>, its name
    /// in kebab case) and the raw JSON endpoint.
    /// </summary>
    public static IReadOnlyList<string> Endpoints { get; } =
    [
        .. EventTypes.All.Select(type => type.Queue),
        RawEventConsumerDefinition.QueueName,
    ];

    /// <summary>The service's queues, e.g. <c>corp-notifier-events</c>.</summary>
    public static IReadOnlyList<string> Names(string prefix) => [.. Endpoints.Select(e => $"{prefix}-{e}")];

    /// <summary>The service's error queues, e.g. <c>corp-notifier-events_error</c>.</summary>
    public static IReadOnlyList<string> ErrorQueues(string prefix) => [.. Names(prefix).Select(q => q + ErrorSuffix)];

    /// <summary>The queue an error queue's messages came from: its name without <c>_error</c>.</summary>
    public static string SourceOf(string errorQueue) =>
        errorQueue.EndsWith(ErrorSuffix, StringComparison.Ordinal)
            ? errorQueue[..^ErrorSuffix.Length]
            : throw new ArgumentException($"'{errorQueue}' is not an error queue", nameof(errorQueue));

    /// <summary>
    /// The error queue an operator means: its full name (<c>corp-notifier-events_error</c>), the
    /// queue's (<c>corp-notifier-events</c>) or the endpoint's (<c>events</c>); null when none of the service's.
    /// </summary>
    public static string? ResolveErrorQueue(string prefix, string typed)
    {
        var name = typed.Trim();
        foreach (var (endpoint, queue) in Endpoints.Zip(Names(prefix)))
        {
            if (name == endpoint || name == queue || name == queue + ErrorSuffix)
            {
                return queue + ErrorSuffix;
            }
        }

        return null;
    }
}
