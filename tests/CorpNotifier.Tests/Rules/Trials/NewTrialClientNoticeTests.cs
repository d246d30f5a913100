using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Trials;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Trials;

public sealed class NewTrialClientNoticeTests
{
    private static readonly NewTrialClientNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_to_the_client_when_a_person_with_a_login_signs_up_for_a_trial()
    {
        var action = Rule.On(Trial(TrialFlows.ClientTrial), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.UniqueKey.ShouldBeNull();
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
    }

    [Fact]
    public void Carries_the_login_and_the_trial_s_service_as_the_producer_s_code()
    {
        Rule.On(Trial(TrialFlows.ClientTrial), Context()).ShouldEnqueueOne()
            .Args.ShouldBe(new Dictionary<string, object?> { ["yandex_login"] = "acme-trial", ["contract_type"] = "taxi" });
        Rule.On(Trial(TrialFlows.ClientTrial, contractType: Services.Cargo), Context()).ShouldEnqueueOne()
            .Args["contract_type"].ShouldBe("cargo");
    }

    [Fact]
    public void Is_not_sent_when_the_login_was_generated() =>
        Rule.On(Trial(TrialFlows.RegisterTrial, PasswordToken), Context()).ShouldBeEmpty();

    [Fact]
    public void Has_no_secret_and_gives_the_mailer_its_arguments_as_stored()
    {
        var stored = Stored(Rule.On(Trial(TrialFlows.ClientTrial), Context()).ShouldEnqueueOne());
        Rule.SecretArguments.ShouldBeEmpty();
        Rule.ForMailer(stored, Mailer).ShouldBe(MailerArguments.Same(stored));
    }

    [Fact]
    public void Goes_with_the_staff_s_follow_up_on_a_client_trial_sign_up() =>
        Evaluate(Trial(TrialFlows.ClientTrial), Context()).ShouldBe(["Enqueue NewTrialClientNotice @+00:00:00", "Enqueue TrialFollowUpNotice @+00:30:00"]);
}
