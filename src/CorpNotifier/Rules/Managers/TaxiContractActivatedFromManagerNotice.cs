namespace CorpNotifier.Rules.Managers;

/// <summary>The taxi contract a sales manager arranged is active: the client's login and temporary password.</summary>
public sealed class TaxiContractActivatedFromManagerNotice : ContractActivatedFromManagerRule
{
    protected override string Service => CorpNotifier.Contracts.Services.Taxi;
}
