namespace CorpNotifier.Rules.Contracts;

/// <summary>Second nudge to take a ride after a postpaid contract became active.</summary>
public sealed class PostpaidSecondTakeARideNotice : PostpaidTakeARideRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(7);
}
