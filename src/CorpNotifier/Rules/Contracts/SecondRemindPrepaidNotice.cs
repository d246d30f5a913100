namespace CorpNotifier.Rules.Contracts;

/// <summary>Second reminder to accept the offer of a new prepaid contract.</summary>
public sealed class SecondRemindPrepaidNotice : OfferReminderRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(5);

    public override string Trigger => "ContractChanged: a new prepaid contract whose offer is not accepted";
}
