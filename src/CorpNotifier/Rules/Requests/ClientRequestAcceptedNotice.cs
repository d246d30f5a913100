using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Requests;

/// <summary>The client's request for a contract was accepted.</summary>
public sealed class ClientRequestAcceptedNotice : NoticeRule, IReactsTo<ClientRequestStatusChanged>
{
    public override NoticeCategory Category => NoticeCategory.Requests;

    public override string Trigger => "ClientRequestStatusChanged to accepted";

    public override IReadOnlyList<string> Arguments => ["contract_type"];

    public IEnumerable<NoticeAction> On(ClientRequestStatusChanged evt, RuleContext context)
    {
        if (RequestStatus.BecameAccepted(evt))
        {
            yield return Enqueue(context, contractId: null, new Dictionary<string, object?>
            {
                ["contract_type"] = evt.ContractType,
            });
        }
    }
}
