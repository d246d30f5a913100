namespace CorpNotifier.Rules.Contracts;

/// <summary>First nudge to take a ride after a postpaid contract became active.</summary>
public sealed class PostpaidFirstTakeARideNotice : PostpaidTakeARideRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(3);
}
