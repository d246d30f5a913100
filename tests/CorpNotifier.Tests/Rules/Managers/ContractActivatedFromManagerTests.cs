using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Managers;

/// <summary>
/// What both activation letters of a sales manager's request do, for the service each is about:
/// <paramref name="otherRule"/> is the letter of <paramref name="otherService"/>.
/// </summary>
public abstract class ContractActivatedFromManagerTests<TRule>(string service, string otherService, NoticeRule otherRule)
    where TRule : NoticeRule, new()
{
    protected static readonly TRule Rule = new();

    private RuleContext Pending(string? encryptedPassword = null, string requestId = "manager-request-1") =>
        Context(managerRequest: PendingActivation(service, requestId, encryptedPassword));

    private static ContractChanged Activated => ContractChange(Postpaid(active: false), Postpaid(active: true));

    private EnqueueNotice Letter(string requestId = "manager-request-1") => Rule.On(Activated, Pending(requestId: requestId)).ShouldEnqueueOne();

    [Fact]
    public void Is_sent_at_once_to_the_client_when_a_contract_becomes_active_and_a_manager_request_of_its_service_awaits_activation()
    {
        var action = Letter();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBe("contract-7");
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
    }

    [Fact]
    public void Is_sent_for_a_new_contract_that_arrives_active() =>
        Rule.On(ContractChange(null, Postpaid(active: true)), Pending()).ShouldEnqueueOne();

    [Fact]
    public void Stores_the_request_the_login_the_password_as_received_and_the_request_s_contract_type_and_service() =>
        Letter().Args.ShouldBe(new Dictionary<string, object?>
        {
            ["request_id"] = "manager-request-1",
            ["login"] = "acme-corp",
            ["encrypted_password"] = PasswordToken,
            ["offer_contract_type"] = "postpaid",
            ["contract_service"] = service,
        });

    [Fact]
    public void Keeps_the_encrypted_password_a_secret() =>
        Rule.SecretArguments.ShouldBe(["encrypted_password"], ignoreOrder: true);

    [Fact]
    public void Is_not_sent_when_the_contract_was_already_active() =>
        Rule.On(ContractChange(Postpaid(active: true), Postpaid(active: true)), Pending()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_contract_is_deactivated_or_stays_inactive()
    {
        Rule.On(ContractChange(Postpaid(active: true), Postpaid(active: false)), Pending()).ShouldBeEmpty();
        Rule.On(ContractChange(Postpaid(active: false), Postpaid(active: false)), Pending()).ShouldBeEmpty();
        Rule.On(ContractChange(null, Postpaid(active: false)), Pending()).ShouldBeEmpty();
    }

    [Fact]
    public void Is_not_sent_when_no_manager_request_awaits_activation() =>
        Rule.On(Activated, Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_manager_request_has_no_temporary_password()
    {
        Rule.On(Activated, Context(managerRequest: PendingActivation(service) with { EncryptedPassword = null })).ShouldBeEmpty();
        Rule.On(Activated, Context(managerRequest: PendingActivation(service) with { EncryptedPassword = "" })).ShouldBeEmpty();
    }

    [Fact]
    public void Is_not_sent_for_a_manager_request_of_the_other_service() =>
        Rule.On(Activated, Context(managerRequest: PendingActivation(otherService))).ShouldBeEmpty();

    [Fact]
    public void Is_the_one_activation_letter_for_a_manager_request_of_its_service() =>
        Evaluate(Activated, Pending()).ShouldContain($"Enqueue {typeof(TRule).Name} @+00:00:00");

    [Fact]
    public void Is_sent_once_per_manager_request_whichever_service_the_request_is_for()
    {
        var key = Letter().UniqueKey;
        key.ShouldBe("ContractActivatedFromManager:manager-request-1");
        otherRule.On(Activated, Context(managerRequest: PendingActivation(otherService))).ShouldEnqueueOne().UniqueKey.ShouldBe(key);
        Letter("manager-request-2").UniqueKey.ShouldNotBe(key);
    }

    [Fact]
    public void Gives_the_mailer_the_login_the_opened_password_and_the_request_s_contract_type_and_service_as_codes()
    {
        var mailer = Rule.ForMailer(Stored(Letter()), Mailer);
        mailer.Problem.ShouldBeNull();
        mailer.Args.ShouldBeJson($$"""{ "Login": "acme-corp", "Pass": "{{Password}}", "ContractType": "postpaid", "contract_type": "{{service}}" }""");
    }

    [Fact]
    public void Cannot_give_the_mailer_a_password_that_does_not_decrypt()
    {
        var stored = Stored(Rule.On(Activated, Pending(ForeignToken)).ShouldEnqueueOne());
        Rule.ForMailer(stored, Mailer).ShouldBe(MailerArguments.Undecryptable("encrypted_password"));
    }

    [Fact]
    public void Cannot_give_the_mailer_a_password_once_it_is_masked()
    {
        var stored = Stored(Letter());
        stored["encrypted_password"] = Secret.Masked;
        Rule.ForMailer(stored, Mailer).ShouldBe(MailerArguments.Undecryptable("encrypted_password"));
    }

    [Fact]
    public void Once_sent_marks_the_request_and_publishes_activation_email_sent_with_the_request_the_client_and_the_letter()
    {
        var effects = Rule.WhenSent(Sent(Letter(), noticeId: 17)).ToList();
        effects.Count.ShouldBe(2);
        effects.ShouldContain(new SentEffect.ActivationLetterSent("manager-request-1", 17));
        var publish = effects.OfType<SentEffect.Publish>().ShouldHaveSingleItem();
        publish.Message.ShouldBe(new ActivationEmailSent { RequestId = "manager-request-1", ClientId = "client-42", NoticeId = 17, SentAt = Now });
        publish.MessageId.ShouldNotBe(Guid.Empty);
    }

    [Fact]
    public void Publishes_under_a_message_id_that_is_the_same_for_the_same_request_and_differs_between_requests()
    {
        Guid MessageIdOf(NoticeRule rule, EnqueueNotice letter, long noticeId) =>
            rule.WhenSent(Sent(letter, noticeId)).OfType<SentEffect.Publish>().ShouldHaveSingleItem().MessageId;

        var first = MessageIdOf(Rule, Letter(), 17);
        MessageIdOf(Rule, Letter(), 18).ShouldBe(first);
        MessageIdOf(otherRule, otherRule.On(Activated, Context(managerRequest: PendingActivation(otherService))).ShouldEnqueueOne(), 19).ShouldBe(first);
        MessageIdOf(Rule, Letter("manager-request-2"), 20).ShouldNotBe(first);
    }
}
