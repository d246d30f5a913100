using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Hosting;

/// <summary>
/// Section <c>Instance</c>: who this process is among identical instances (shown in notices'
/// timelines), and how it tells the others it is alive.
/// </summary>
/// <remarks>
/// A name that stays the same when the process is restarted in its place (a StatefulSet pod's
/// name, a systemd unit instance) lets the restarted process take back at once the letters its
/// killed predecessor had claimed, instead of waiting for their lease to run out. A name must be
/// used by one running process at a time.
/// </remarks>
public sealed class InstanceOptions : IValidatableObject
{
    [Required]
    [StringLength(128)]
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How often the instance records in the database that it is alive (table <c>instances</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An earlier process under the same name whose heartbeat is older than this is gone: a process
    /// starting under that name takes back its claims. At least two heartbeats, so a live process
    /// under the same name (a configuration mistake) is seen renewing and its claims are left alone.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:30:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StaleAfter < Heartbeat * 2)
        {
            yield return new ValidationResult($"must be at least twice Instance:Heartbeat ({Heartbeat})", [nameof(StaleAfter)]);
        }
    }
}
