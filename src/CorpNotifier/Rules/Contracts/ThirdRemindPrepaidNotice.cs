namespace CorpNotifier.Rules.Contracts;

/// <summary>Last reminder for a new prepaid contract concluded on paper (<c>isOffer</c> false).</summary>
public sealed class ThirdRemindPrepaidNotice : OfferReminderRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(10);

    public override string Trigger => "ContractChanged: a new prepaid contract whose offer is not accepted, isOffer false";

    protected override bool AppliesTo(ContractTransition contract) => !contract.IsOffer;
}
