namespace CorpNotifier.Rules.Managers;

/// <summary>The sales manager's request for a taxi contract was accepted.</summary>
public sealed class TaxiManagerRequestAcceptedNotice : ManagerRequestAcceptedRule
{
    protected override string Service => CorpNotifier.Contracts.Services.Taxi;
}
