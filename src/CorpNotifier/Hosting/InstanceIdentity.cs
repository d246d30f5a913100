namespace CorpNotifier.Hosting;

/// <summary>
/// This process among all that ever ran under its instance name: a new <see cref="Incarnation"/>
/// at every start. A claim records the incarnation that made it, so a later process under the same
/// name can tell its predecessor's claims (to take back) from its own.
/// </summary>
public sealed class InstanceIdentity
{
    public Guid Incarnation { get; } = Guid.NewGuid();
}
