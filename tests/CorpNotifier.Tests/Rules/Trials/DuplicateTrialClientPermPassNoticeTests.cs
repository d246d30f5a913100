using CorpNotifier.Contracts;
using CorpNotifier.Rules.Trials;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Trials;

public sealed class DuplicateTrialClientPermPassNoticeTests() : DuplicateTrialTests<DuplicateTrialClientPermPassNotice>(used: true)
{
    [Fact]
    public void Is_sent_for_an_attendance_whose_dates_are_unknown() =>
        Rule.On(DuplicateTrial(used: true) with { Attendances = [new Attendance { YandexUid = "uid-1", FirstSeen = null, LastSeen = null }] }, Context())
            .ShouldEnqueueOne();

    [Fact]
    public void Is_sent_once_for_several_attendances() =>
        Rule.On(
            DuplicateTrial(used: true) with
            {
                Attendances =
                [
                    new Attendance { YandexUid = "uid-1", FirstSeen = Now.AddDays(-30), LastSeen = Now.AddDays(-2) },
                    new Attendance { YandexUid = "uid-2" },
                ],
            },
            Context()).ShouldEnqueueOne();
}
