using System.Text.Json.Nodes;
using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Trials;

/// <summary>
/// Welcome to the trial, with the login generated for the client and its password (any flow but
/// <c>client_trial</c>). The password arrives as a Fernet token, is stored as received, opened only
/// for the mailer (as <c>Pass</c>, with the login as <c>Login</c>) and masked once sent.
/// </summary>
public sealed class NewTrialAutoRegisteredClientNotice : NoticeRule, IReactsTo<NewTrialClient>
{
    public override NoticeCategory Category => NoticeCategory.Access;

    public const string EncryptedPassword = "encrypted_password";

    public override string Trigger => "NewTrialClient with any flow but client_trial";

    public override IReadOnlyList<string> Arguments => ["yandex_login", EncryptedPassword, "contract_type"];

    public override IReadOnlySet<string> OptionalArguments => new HashSet<string>();

    public override IReadOnlySet<string> SecretArguments => new HashSet<string> { EncryptedPassword };

    public override IReadOnlyList<string> SendChecks => [ReasonCodes.UndecryptableSecret];

    public IEnumerable<NoticeAction> On(NewTrialClient evt, RuleContext context)
    {
        if (evt.Flow != TrialFlows.ClientTrial)
        {
            yield return Enqueue(context, contractId: null, new Dictionary<string, object?>
            {
                ["yandex_login"] = evt.YandexLogin,
                [EncryptedPassword] = evt.EncryptedPassword,
                ["contract_type"] = evt.ContractType,
            });
        }
    }

    public override MailerArguments ForMailer(JsonObject stored, MailerContext context) =>
        context.Open(stored[EncryptedPassword]?.GetValue<string>()) is { } password
            ? new MailerArguments(new JsonObject { ["Login"] = stored["yandex_login"]?.DeepClone(), ["Pass"] = password, ["contract_type"] = stored["contract_type"]?.DeepClone() }, null)
            : MailerArguments.Undecryptable(EncryptedPassword);
}
