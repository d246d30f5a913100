namespace CorpNotifier.Rules.Contracts;

/// <summary>First reminder to accept the offer of a new prepaid contract.</summary>
public sealed class FirstRemindPrepaidNotice : OfferReminderRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(2);

    public override string Trigger => "ContractChanged: a new prepaid contract whose offer is not accepted";
}
