using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Requests;

/// <summary>An accepted request's offer needs scoring: the moderators are told.</summary>
public sealed class OfferScoringNotice : NoticeRule, IReactsTo<ClientRequestStatusChanged>
{
    public override NoticeCategory Category => NoticeCategory.Requests;

    public override Audience Audience => Audience.Staff;

    public override string Trigger => "ClientRequestStatusChanged to accepted";

    public override IReadOnlyList<string> Arguments => ["contract_type", "client_id", "request_id", "inn", "yandex_login"];

    public IEnumerable<NoticeAction> On(ClientRequestStatusChanged evt, RuleContext context)
    {
        if (RequestStatus.BecameAccepted(evt))
        {
            yield return EnqueueFor(evt.Country, context, contractId: null, new Dictionary<string, object?>
            {
                ["contract_type"] = evt.ContractType,
                ["client_id"] = evt.ClientId,
                ["request_id"] = evt.RequestId,
                ["inn"] = evt.CompanyTin,
                ["yandex_login"] = evt.YandexLogin,
            });
        }
    }
}
