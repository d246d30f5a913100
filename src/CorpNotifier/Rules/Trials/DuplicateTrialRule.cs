using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Trials;

/// <summary>
/// Someone signed up for a trial again with the phone of an existing client: the client is told to
/// sign in with the existing account — with its permanent password when the account was used,
/// with the temporary one when it never was. The pair shares this.
/// </summary>
public abstract class DuplicateTrialRule : NoticeRule, IReactsTo<DuplicateTrialClient>
{
    public override NoticeCategory Category => NoticeCategory.Access;

    /// <summary>The letter for an account that was used (true) or never was (false).</summary>
    protected abstract bool ForUsedAccount { get; }

    public override string Trigger => ForUsedAccount
        ? "DuplicateTrialClient with at least one attendance"
        : "DuplicateTrialClient with no attendance";

    public override IReadOnlyList<string> Arguments => ["yandex_login", "contract_type"];

    public IEnumerable<NoticeAction> On(DuplicateTrialClient evt, RuleContext context)
    {
        if (evt.Attendances.Count > 0 == ForUsedAccount)
        {
            yield return Enqueue(context, contractId: null, new Dictionary<string, object?>
            {
                ["yandex_login"] = evt.YandexLogin,
                ["contract_type"] = evt.ContractType,
            });
        }
    }
}

/// <summary>A repeated trial sign-up of an account that was used: sign in with its password.</summary>
public sealed class DuplicateTrialClientPermPassNotice : DuplicateTrialRule
{
    protected override bool ForUsedAccount => true;
}

/// <summary>A repeated trial sign-up of an account never used: sign in with the temporary password.</summary>
public sealed class DuplicateTrialClientTmpPassNotice : DuplicateTrialRule
{
    protected override bool ForUsedAccount => false;
}
