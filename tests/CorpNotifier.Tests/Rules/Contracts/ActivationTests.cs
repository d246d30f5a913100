using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

/// <summary>What both activation letters do, for the service each announces.</summary>
public abstract class ActivationTests<TRule>(string service, string otherService)
    where TRule : NoticeRule, new()
{
    protected static readonly TRule Rule = new();

    [Fact]
    public void Is_sent_at_once_when_the_contract_becomes_active_with_its_service()
    {
        var action = Rule.On(ContractChange(Postpaid(active: false, service), Postpaid(active: true, service)), Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.SendAt.ShouldBe(Now);
        action.UniqueKey.ShouldBe($"{typeof(TRule).Name}:contract-7");
    }

    [Fact]
    public void Is_sent_for_a_new_contract_that_arrives_active() =>
        Rule.On(ContractChange(null, Prepaid(true, true, true, service)), Context()).ShouldHaveSingleItem();

    [Fact]
    public void Is_not_sent_without_its_service() =>
        Rule.On(ContractChange(null, Postpaid(active: true, otherService)), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_when_the_contract_was_already_active() =>
        Rule.On(ContractChange(Postpaid(active: true, service), Postpaid(active: true, service, otherService)), Context()).ShouldBeEmpty();

    [Fact]
    public void Carries_the_temporary_password_as_a_secret_argument()
    {
        var action = Rule.On(ContractChange(null, Postpaid(active: true, service), temporaryPassword: "s3cret-Pa55"), Context()).ShouldHaveSingleItem().ShouldBeOfType<EnqueueNotice>();
        action.Args["temporary_password"].ShouldBe("s3cret-Pa55");
        Rule.SecretArguments.ShouldContain("temporary_password");
    }
}
