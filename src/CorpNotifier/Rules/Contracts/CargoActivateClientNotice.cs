namespace CorpNotifier.Rules.Contracts;

/// <summary>The contract's cargo (delivery) service is active.</summary>
public sealed class CargoActivateClientNotice : ActivationRule
{
    protected override string Service => ContractTransition.Cargo;
}
