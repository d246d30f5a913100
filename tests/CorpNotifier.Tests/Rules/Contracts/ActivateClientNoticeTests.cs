using CorpNotifier.Rules;
using CorpNotifier.Rules.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

public sealed class ActivateClientNoticeTests
{
    private static readonly ActivateClientNotice Rule = new();

    [Fact]
    public void Is_sent_at_once_when_the_contract_becomes_active_with_taxi()
    {
        var action = Rule.On(ContractChange(Postpaid(active: false, "taxi"), Postpaid(active: true, "taxi")), Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.SendAt.ShouldBe(Now);
        action.UniqueKey.ShouldBe("ActivateClientNotice:contract-7");
    }

    [Fact]
    public void Is_sent_for_a_new_contract_that_arrives_active() =>
        Rule.On(ContractChange(null, Prepaid(true, true, true, "taxi")), Context()).ShouldHaveSingleItem();

    [Fact]
    public void Is_not_sent_without_taxi_in_the_services() =>
        Rule.On(ContractChange(null, Postpaid(active: true, "cargo")), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_contract_was_already_active() =>
        Rule.On(ContractChange(Postpaid(active: true, "taxi"), Postpaid(active: true, "taxi", "cargo")), Context()).ShouldBeEmpty();

    [Fact]
    public void Carries_the_temporary_password_as_a_secret_argument()
    {
        var action = Rule.On(ContractChange(null, Postpaid(active: true, "taxi"), temporaryPassword: "s3cret-Pa55"), Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.Args["temporary_password"].ShouldBe("s3cret-Pa55");
        Rule.SecretArguments.ShouldContain("temporary_password");
    }
}
