namespace CorpNotifier.Hosting;

/// <summary>Secrets (a temporary password in an event or a notice's arguments) are kept only as long as needed.</summary>
public static class Secret
{
    /// <summary>What a secret reads once it is no longer kept: in a stored event, a sent notice, an error queue listing.</summary>
    public const string Masked = "***";
}
