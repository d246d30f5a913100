using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Trials;

/// <summary>Welcome to the trial, for a person who already had a login (flow <c>client_trial</c>).</summary>
public sealed class NewTrialClientNotice : NoticeRule, IReactsTo<NewTrialClient>
{
    public override NoticeCategory Category => NoticeCategory.Access;

    public override string Trigger => "NewTrialClient with flow client_trial";

    public override IReadOnlyList<string> Arguments => ["yandex_login", "contract_type"];

    public IEnumerable<NoticeAction> On(NewTrialClient evt, RuleContext context)
    {
        if (evt.Flow == TrialFlows.ClientTrial)
        {
            yield return Enqueue(context, contractId: null, new Dictionary<string, object?>
            {
                ["yandex_login"] = evt.YandexLogin,
                ["contract_type"] = evt.ContractType,
            });
        }
    }
}
