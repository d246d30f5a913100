namespace CorpNotifier.Rules.Managers;

/// <summary>The sales manager's request for a cargo contract was rejected.</summary>
public sealed class CargoManagerRequestRejectedNotice : ManagerRequestRejectedRule
{
    protected override string Service => CorpNotifier.Contracts.Services.Cargo;
}
