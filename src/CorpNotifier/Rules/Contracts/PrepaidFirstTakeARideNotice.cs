namespace CorpNotifier.Rules.Contracts;

/// <summary>First nudge to take a ride after the offer of a prepaid contract was accepted.</summary>
public sealed class PrepaidFirstTakeARideNotice : PrepaidTakeARideRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(3);
}
