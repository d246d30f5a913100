namespace CorpNotifier.Rules.Managers;

/// <summary>The sales manager's request for a cargo contract was accepted.</summary>
public sealed class CargoManagerRequestAcceptedNotice : ManagerRequestAcceptedRule
{
    protected override string Service => CorpNotifier.Contracts.Services.Cargo;
}
