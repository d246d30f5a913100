namespace CorpNotifier.Dispatch;

/// <summary>
/// One instance name and the process that last ran under it (table <c>instances</c>): renewed every
/// <c>Instance:Heartbeat</c> while it runs, so a process starting under the same name can tell
/// whether its predecessor is gone, and take back that predecessor's claims.
/// </summary>
public sealed class InstanceRecord
{
    /// <summary>The instance name (<c>Instance:Name</c>).</summary>
    public required string Name { get; set; }

    /// <summary>The process that runs (or last ran) under the name; its claims carry it as their holder.</summary>
    public Guid Incarnation { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Its last heartbeat.</summary>
    public DateTimeOffset SeenAt { get; set; }

    /// <summary>When it stopped gracefully; <c>null</c> while it runs or when it was killed.</summary>
    public DateTimeOffset? StoppedAt { get; set; }
}
