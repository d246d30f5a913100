using CorpNotifier.Contracts;
using CorpNotifier.Rules.Requests;

namespace CorpNotifier.Rules.Trials;

/// <summary>
/// Half an hour after a trial sign-up (either flow) the moderators are asked to follow up, unless
/// the client sent a request for a contract meanwhile: <c>ClientRequestCreated</c> dequeues it.
/// </summary>
public sealed class TrialFollowUpNotice : NoticeRule, IReactsTo<NewTrialClient>, IReactsTo<ClientRequestCreated>
{
    public override NoticeCategory Category => NoticeCategory.TrialFollowUps;

    public override TimeSpan DefaultOffset => TimeSpan.FromMinutes(30);

    public override Audience Audience => Audience.Staff;

    public override string Trigger => "NewTrialClient (either flow)";

    public override string CancelledBy => "dequeued by the client's ClientRequestCreated";

    public override IReadOnlyList<string> Arguments =>
        ["letter_id", "client_id", "locale", "company_name", "city", "yandex_login", "contact_name", "contact_email", "contact_phone", "references"];

    public override IReadOnlySet<string> OptionalArguments => new HashSet<string> { "references" };

    public IEnumerable<NoticeAction> On(NewTrialClient evt, RuleContext context)
    {
        var draft = evt.Draft;
        yield return EnqueueFor(draft.Country, context, contractId: null, new Dictionary<string, object?>
        {
            ["letter_id"] = RequestArguments.LetterId(evt.EventId),
            ["client_id"] = evt.ClientId,
            ["locale"] = draft.Country,
            ["company_name"] = draft.CompanyName,
            ["city"] = draft.City,
            ["yandex_login"] = evt.YandexLogin,
            ["contact_name"] = draft.Contact.Name,
            ["contact_email"] = draft.Contact.Email,
            ["contact_phone"] = draft.Contact.Phone,
            ["references"] = RequestArguments.References(draft.References),
        });
    }

    /// <summary>A request for a contract answers the follow-up's question.</summary>
    public IEnumerable<NoticeAction> On(ClientRequestCreated evt, RuleContext context)
    {
        yield return Dequeue(contractId: null);
    }
}
