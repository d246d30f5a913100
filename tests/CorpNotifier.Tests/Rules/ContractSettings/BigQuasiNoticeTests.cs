using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using CorpNotifier.Rules.ContractSettings;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.ContractSettings;

public sealed class BigQuasiNoticeTests
{
    private static readonly BigQuasiNotice Rule = new();

    [Theory]
    [InlineData(ThresholdTypes.Standard)]
    [InlineData(ThresholdTypes.Quasi)]
    [InlineData(null)]
    public void Is_sent_at_once_to_the_client_without_arguments_when_the_threshold_becomes_big_quasi(string? from)
    {
        var action = Rule.On(Threshold(from, ThresholdTypes.BigQuasi), Context(Contract())).ShouldEnqueueOne();
        action.SendAt.ShouldBe(Now);
        action.ContractId.ShouldBe("contract-7");
        action.UniqueKey.ShouldBeNull();
        action.Country.ShouldBeNull();
        action.Recipients.ShouldBeEmpty();
        action.Args.ShouldBeEmpty();
        Rule.Audience.ShouldBe(Audience.Client);
        Rule.Arguments.ShouldBeEmpty();
    }

    [Fact]
    public void Is_not_sent_when_the_threshold_was_already_big_quasi() =>
        Rule.On(Threshold(ThresholdTypes.BigQuasi, ThresholdTypes.BigQuasi), Context(Contract())).ShouldBeEmpty();

    [Theory]
    [InlineData(ThresholdTypes.Standard, ThresholdTypes.Quasi)]
    [InlineData(null, ThresholdTypes.Standard)]
    [InlineData(ThresholdTypes.BigQuasi, ThresholdTypes.Quasi)]
    [InlineData(ThresholdTypes.BigQuasi, null)]
    public void Is_not_sent_for_a_change_to_another_type(string? from, string? to) =>
        Rule.On(Threshold(from, to), Context(Contract())).ShouldBeEmpty();

    [Fact]
    public void Is_the_one_letter_of_a_threshold_change() =>
        Evaluate(Threshold(ThresholdTypes.Quasi, ThresholdTypes.BigQuasi), Context(Contract())).ShouldBe(["Enqueue BigQuasiNotice @+00:00:00"]);
}
