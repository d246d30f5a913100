using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Requests;

/// <summary>The client's request for a contract was rejected, with the reason.</summary>
public sealed class ClientRequestRejectedNotice : NoticeRule, IReactsTo<ClientRequestStatusChanged>
{
    public override NoticeCategory Category => NoticeCategory.Requests;

    public override string Trigger => "ClientRequestStatusChanged to rejected";

    public override IReadOnlyList<string> Arguments => ["contract_type", "reject_reason", "locale"];

    public override IReadOnlySet<string> OptionalArguments => new HashSet<string> { "reject_reason" };

    public IEnumerable<NoticeAction> On(ClientRequestStatusChanged evt, RuleContext context)
    {
        if (RequestStatus.BecameRejected(evt))
        {
            yield return Enqueue(context, contractId: null, new Dictionary<string, object?>
            {
                ["contract_type"] = evt.ContractType,
                ["reject_reason"] = evt.New.RejectReason ?? "",
                ["locale"] = evt.Country,
            });
        }
    }
}
