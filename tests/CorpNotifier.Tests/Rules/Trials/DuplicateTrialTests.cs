using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Trials;

/// <summary>
/// What both letters of a repeated trial sign-up do: <paramref name="used"/> says whether the letter
/// is for an account that was used (at least one attendance) or never was (none).
/// </summary>
public abstract class DuplicateTrialTests<TRule>(bool used)
    where TRule : NoticeRule, new()
{
    protected static readonly TRule Rule = new();

    [Fact]
    public void Is_sent_at_once_to_the_client_when_someone_signs_up_again_with_its_phone()
    {
        var action = Rule.On(DuplicateTrial(used), Context()).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBeNull();
        action.UniqueKey.ShouldBeNull();
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
    }

    [Fact]
    public void Carries_the_existing_login_and_the_service_signed_up_for_as_the_producer_s_code()
    {
        Rule.On(DuplicateTrial(used), Context()).ShouldEnqueueOne()
            .Args.ShouldBe(new Dictionary<string, object?> { ["yandex_login"] = "acme-trial", ["contract_type"] = "taxi" });
        Rule.On(DuplicateTrial(used, Services.Cargo), Context()).ShouldEnqueueOne().Args["contract_type"].ShouldBe("cargo");
    }

    [Fact]
    public void Is_not_sent_in_the_other_case() =>
        Rule.On(DuplicateTrial(!used), Context()).ShouldBeEmpty();

    [Fact]
    public void Is_the_one_letter_of_a_repeated_sign_up() =>
        Evaluate(DuplicateTrial(used), Context()).ShouldBe([$"Enqueue {typeof(TRule).Name} @+00:00:00"]);

    [Fact]
    public void Is_not_sent_for_a_first_sign_up() =>
        Rule.On(Trial(), Context()).ShouldBeEmpty();

    [Fact]
    public void Has_no_secret() =>
        Rule.SecretArguments.ShouldBeEmpty();
}
