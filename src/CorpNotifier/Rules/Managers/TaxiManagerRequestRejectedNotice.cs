namespace CorpNotifier.Rules.Managers;

/// <summary>The sales manager's request for a taxi contract was rejected.</summary>
public sealed class TaxiManagerRequestRejectedNotice : ManagerRequestRejectedRule
{
    protected override string Service => CorpNotifier.Contracts.Services.Taxi;
}
