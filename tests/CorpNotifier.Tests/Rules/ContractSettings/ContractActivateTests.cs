using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.ContractSettings;

/// <summary>
/// What both letters of an operator's block or unblock do, for the contracts each is for: the
/// services of <paramref name="ownContract"/> start this letter, those of <paramref name="otherContract"/> the other one.
/// </summary>
public abstract class ContractActivateTests<TRule>(string[] ownContract, string[] otherContract)
    where TRule : NoticeRule, new()
{
    protected static readonly TRule Rule = new();

    protected RuleContext Own => Context(Contract(State(services: ownContract)));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Is_sent_at_once_to_the_client_when_an_operator_blocks_or_unblocks_the_contract(bool wasActive, bool isActive)
    {
        var action = Rule.On(SettingsChange(wasActive, isActive), Own).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBe("contract-7");
        action.UniqueKey.ShouldBeNull();
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
    }

    [Fact]
    public void Carries_the_operator_s_reason_as_the_producer_s_code_the_contract_s_external_id_and_its_new_state() =>
        Rule.On(SettingsChange(true, false, "debt"), Own).ShouldEnqueueOne()
            .Args.ShouldBe(new Dictionary<string, object?> { ["reason"] = "debt", ["external_contract_id"] = "ДГ-7", ["is_active"] = false });

    [Fact]
    public void Carries_any_reason_as_its_id_and_an_unblock_as_active() =>
        Rule.On(SettingsChange(false, true, "notify"), Own).ShouldEnqueueOne().Args
            .ShouldCarry(new Dictionary<string, object?> { ["reason"] = "notify", ["is_active"] = true });

    [Fact]
    public void Gives_the_mailer_the_reason_s_code_as_stored() =>
        Rule.ForMailer(Stored(Rule.On(SettingsChange(true, false, "debt"), Own).ShouldEnqueueOne()), Mailer).Args
            .ShouldBeJson("""{ "reason": "debt", "external_contract_id": "ДГ-7", "is_active": false }""");

    [Fact]
    public void A_letter_stored_without_its_new_state_can_still_be_sent() =>
        Rule.RequiredArguments.ShouldBe(["reason"]);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Is_not_sent_for_a_change_that_changes_nothing(bool active) =>
        Rule.On(SettingsChange(active, active), Own).ShouldBeEmpty();

    [Fact]
    public void Is_not_sent_for_a_contract_the_other_letter_is_for() =>
        Rule.On(SettingsChange(true, false), Context(Contract(State(services: otherContract)))).ShouldBeEmpty();

    [Fact]
    public void Is_the_one_letter_of_a_block_of_its_contract() =>
        Evaluate(SettingsChange(true, false), Own).ShouldBe([$"Enqueue {typeof(TRule).Name} @+00:00:00"]);
}
