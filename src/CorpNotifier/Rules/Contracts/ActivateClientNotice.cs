namespace CorpNotifier.Rules.Contracts;

/// <summary>The contract's taxi service is active.</summary>
public sealed class ActivateClientNotice : ActivationRule
{
    protected override string Service => ContractTransition.Taxi;
}
