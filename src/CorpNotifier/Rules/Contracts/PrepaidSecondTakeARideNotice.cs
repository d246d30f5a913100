namespace CorpNotifier.Rules.Contracts;

/// <summary>Second nudge to take a ride after the offer of a prepaid contract was accepted.</summary>
public sealed class PrepaidSecondTakeARideNotice : PrepaidTakeARideRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(7);
}
