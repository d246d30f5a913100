using CorpNotifier.Contracts;
using CorpNotifier.Rules.Trials;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Trials;

public sealed class DuplicateTrialClientTmpPassNoticeTests() : DuplicateTrialTests<DuplicateTrialClientTmpPassNotice>(used: false)
{
    [Fact]
    public void Is_not_sent_for_an_attendance_whose_dates_are_unknown() =>
        Rule.On(DuplicateTrial(used: false) with { Attendances = [new Attendance { YandexUid = "uid-1" }] }, Context()).ShouldBeEmpty();
}
