using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Trials;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Trials;

public sealed class NewTrialAutoRegisteredClientNoticeTests
{
    private static readonly NewTrialAutoRegisteredClientNotice Rule = new();

    private static EnqueueNotice Letter(string? encryptedPassword = null, string contractType = Services.Taxi) =>
        Rule.On(Trial(TrialFlows.RegisterTrial, encryptedPassword ?? PasswordToken, contractType), Context()).ShouldEnqueueOne();

    [Fact]
    public void Is_sent_at_once_to_the_client_when_a_trial_sign_up_got_a_generated_login()
    {
        var action = Letter();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.UniqueKey.ShouldBeNull();
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
    }

    [Fact]
    public void Stores_the_login_the_password_as_received_and_the_trial_s_service_as_the_producer_s_code()
    {
        Letter().Args.ShouldBe(new Dictionary<string, object?>
        {
            ["yandex_login"] = "acme-trial",
            ["encrypted_password"] = PasswordToken,
            ["contract_type"] = "taxi",
        });
        Letter(contractType: Services.Cargo).Args["contract_type"].ShouldBe("cargo");
    }

    [Fact]
    public void Keeps_the_encrypted_password_a_secret() =>
        Rule.SecretArguments.ShouldBe(["encrypted_password"], ignoreOrder: true);

    [Fact]
    public void Is_not_sent_when_the_person_already_had_a_login() =>
        Rule.On(Trial(TrialFlows.ClientTrial), Context()).ShouldBeEmpty();

    [Fact]
    public void Gives_the_mailer_the_login_the_opened_password_and_the_service_s_code()
    {
        var mailer = Rule.ForMailer(Stored(Letter()), Mailer);
        mailer.Problem.ShouldBeNull();
        mailer.Args.ShouldBeJson($$"""{ "Login": "acme-trial", "Pass": "{{Password}}", "contract_type": "taxi" }""");
    }

    [Fact]
    public void Cannot_give_the_mailer_a_password_that_does_not_decrypt() =>
        Rule.ForMailer(Stored(Letter(ForeignToken)), Mailer).ShouldBe(MailerArguments.Undecryptable("encrypted_password"));

    [Fact]
    public void Cannot_give_the_mailer_a_password_that_is_missing_or_masked()
    {
        var stored = Stored(Letter());
        stored["encrypted_password"] = Secret.Masked;
        Rule.ForMailer(stored, Mailer).ShouldBe(MailerArguments.Undecryptable("encrypted_password"));
        stored.Remove("encrypted_password");
        Rule.ForMailer(stored, Mailer).ShouldBe(MailerArguments.Undecryptable("encrypted_password"));
    }

    [Fact]
    public void Causes_nothing_once_sent() =>
        Rule.WhenSent(Sent(Letter())).ShouldBeEmpty();

    [Fact]
    public void Goes_with_the_staff_s_follow_up_on_a_sign_up_with_a_generated_login() =>
        Evaluate(Trial(TrialFlows.RegisterTrial, PasswordToken), Context())
            .ShouldBe(["Enqueue NewTrialAutoRegisteredClientNotice @+00:00:00", "Enqueue TrialFollowUpNotice @+00:30:00"]);
}
