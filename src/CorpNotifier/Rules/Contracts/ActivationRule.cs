using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Contracts;

/// <summary>
/// Sent at once when a contract becomes active with a service, at most once per contract: the
/// notice's unique key (kind and contract) is a unique index, so a second activation of the same
/// contract — even concurrent — creates nothing.
/// </summary>
public abstract class ActivationRule : NoticeRule, IReactsTo<ContractChanged>
{
    public override NoticeCategory Category => NoticeCategory.Access;

    public const string TemporaryPassword = "temporary_password";

    /// <summary>The service whose activation this notice announces.</summary>
    protected abstract string Service { get; }

    public override string Trigger => $"ContractChanged: isActive false/absent → true, with {Service} in services";

    public override string CancelledBy => "at most once per contract (unique key)";

    public override IReadOnlyList<string> Arguments => [.. ContractTransition.ArgumentNames, TemporaryPassword];

    public override IReadOnlySet<string> SecretArguments => new HashSet<string> { TemporaryPassword };

    public override IReadOnlySet<string> OptionalArguments => new HashSet<string> { "external_id", "client_name", TemporaryPassword };

    public IEnumerable<NoticeAction> On(ContractChanged evt, RuleContext context)
    {
        var contract = new ContractTransition(evt, context.Client);
        if (contract.BecameActive && contract.Has(Service))
        {
            var args = contract.Args();
            if (!string.IsNullOrEmpty(evt.TemporaryPassword))
            {
                args[TemporaryPassword] = evt.TemporaryPassword;
            }

            yield return Enqueue(context, evt.ContractId, args, uniqueKey: $"{Kind}:{evt.ContractId}");
        }
    }
}
