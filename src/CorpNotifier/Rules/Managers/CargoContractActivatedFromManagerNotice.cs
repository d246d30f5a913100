namespace CorpNotifier.Rules.Managers;

/// <summary>The cargo contract a sales manager arranged is active: the client's login and temporary password.</summary>
public sealed class CargoContractActivatedFromManagerNotice : ContractActivatedFromManagerRule
{
    protected override string Service => CorpNotifier.Contracts.Services.Cargo;
}
