namespace CorpNotifier.Rules.Contracts;

/// <summary>Last reminder for a new prepaid contract concluded as a public offer (<c>isOffer</c> true).</summary>
public sealed class ThirdRemindOfferNotice : OfferReminderRule
{
    public override TimeSpan DefaultOffset => TimeSpan.FromDays(10);

    public override string Trigger => "ContractChanged: a new prepaid contract whose offer is not accepted, isOffer true";

    protected override bool AppliesTo(ContractTransition contract) => contract.IsOffer;
}
