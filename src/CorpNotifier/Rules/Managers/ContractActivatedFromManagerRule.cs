using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CorpNotifier.Contracts;
using CorpNotifier.Rules.Contracts;
using CorpNotifier.Rules.Requests;

namespace CorpNotifier.Rules.Managers;

/// <summary>
/// The contract a sales manager arranged is active: the client gets its login and temporary
/// password, once per request. Sent when a contract becomes active and the client has an
/// accepted manager request with a temporary password whose activation letter has not gone out;
/// Taxi or Cargo by the request's service. The password arrives as a Fernet token, is stored as
/// received, opened only for the mailer and masked once sent. Once sent, the request service is
/// told (<see cref="ActivationEmailSent"/>), and the request never gets this letter again.
/// </summary>
public abstract class ContractActivatedFromManagerRule : NoticeRule, IReactsTo<ContractChanged>, IReactsTo<ManagerRequestStatusChanged>
{
    public override NoticeCategory Category => NoticeCategory.Access;

    public const string EncryptedPassword = "encrypted_password";

    protected abstract string Service { get; }

    public override string Trigger =>
        $"ContractChanged making a contract active, when the client has an accepted {Service} manager request with a temporary password whose activation letter has not gone out; or that request's acceptance, when the contract is active already";

    public override string CancelledBy => "at most once per manager request (unique key), either service";

    public override IReadOnlyList<string> Arguments => ["request_id", "login", EncryptedPassword, "offer_contract_type", "contract_service"];

    public override IReadOnlySet<string> OptionalArguments => new HashSet<string>();

    public override IReadOnlySet<string> SecretArguments => new HashSet<string> { EncryptedPassword };

    public override IReadOnlyList<string> SendChecks => [ReasonCodes.UndecryptableSecret];

    public IEnumerable<NoticeAction> On(ContractChanged evt, RuleContext context)
    {
        if (new ContractTransition(evt, context.Client).BecameActive && context.ManagerRequest is { } request)
        {
            return Letter(request, evt.ContractId, context);
        }

        return [];
    }

    /// <summary>
    /// The request accepted after its client's contract became active (the events travel on
    /// different queues, so the contract's may be processed first): the letter goes now.
    /// </summary>
    public IEnumerable<NoticeAction> On(ManagerRequestStatusChanged evt, RuleContext context)
    {
        if (RequestStatus.BecameAccepted(evt)
            && (evt.ClientId ?? evt.Request.ClientId) is { } clientId
            && context.Contract is { State.IsActive: true } contract && contract.HasService(Service))
        {
            var request = new Clients.ManagerRequestProfile(evt.RequestId, clientId, evt.Request.Service, evt.Request.ContractType, evt.Request.ClientLogin, evt.Request.ClientTmpPassword, evt.Request.Country);
            return Letter(request, contract.ContractId, context);
        }

        return [];
    }

    private IEnumerable<NoticeAction> Letter(Clients.ManagerRequestProfile request, string contractId, RuleContext context)
    {
        if (request is not { EncryptedPassword: { Length: > 0 } } || request.Service != Service)
        {
            yield break;
        }

        yield return Enqueue(context, contractId, new Dictionary<string, object?>
        {
            ["request_id"] = request.RequestId,
            ["login"] = request.ClientLogin,
            [EncryptedPassword] = request.EncryptedPassword,
            ["offer_contract_type"] = request.ContractType,
            ["contract_service"] = request.Service,
        }, uniqueKey: $"ContractActivatedFromManager:{request.RequestId}") with
        { ClientId = request.ClientId };
    }

    /// <summary>
    /// As the mail service's campaign takes them: <c>Login</c>, <c>Pass</c> (opened), <c>ContractType</c>
    /// (the request's payment type, <c>prepaid</c> / <c>postpaid</c>) and <c>contract_type</c> (its
    /// service, <c>taxi</c> / <c>cargo</c>) — codes, which the campaign turns into words itself.
    /// </summary>
    public override MailerArguments ForMailer(JsonObject stored, MailerContext context)
    {
        if (context.Open(stored[EncryptedPassword]?.GetValue<string>()) is not { } password)
        {
            return MailerArguments.Undecryptable(EncryptedPassword);
        }

        return new MailerArguments(new JsonObject
        {
            ["Login"] = stored["login"]?.DeepClone(),
            ["Pass"] = password,
            ["ContractType"] = stored["offer_contract_type"]?.DeepClone(),
            ["contract_type"] = stored["contract_service"]?.DeepClone(),
        }, null);
    }

    public override IEnumerable<SentEffect> WhenSent(SentLetter letter)
    {
        var requestId = letter.Args["request_id"]!.GetValue<string>();
        yield return new SentEffect.ActivationLetterSent(requestId, letter.NoticeId);
        yield return new SentEffect.Publish(
            new ActivationEmailSent { RequestId = requestId, ClientId = letter.ClientId ?? "", NoticeId = letter.NoticeId, SentAt = letter.SentAt },
            MessageIdOf(requestId));
    }

    /// <summary>The same id for the same request, whoever publishes it and however often: consumers de-duplicate on it.</summary>
    public static Guid MessageIdOf(string requestId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"activation-email-sent:{requestId}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
