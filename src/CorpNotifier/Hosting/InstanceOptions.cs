namespace CorpNotifier.Hosting;

/// <summary>Section <c>Instance</c>: who this process is among identical instances (shown in notices' timelines).</summary>
public sealed class InstanceOptions
{
    [System.ComponentModel.DataAnnotations.Required]
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}
