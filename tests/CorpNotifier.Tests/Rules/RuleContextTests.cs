using CorpNotifier.Rules;

namespace CorpNotifier.Tests.Rules;

/// <summary>
/// A notice's delay counts from the event's moment (<c>occurredAt</c>): due now without a delay,
/// at max(now, occurredAt + delay) with one.
/// </summary>
public sealed class RuleContextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ThreeDays = TimeSpan.FromDays(3);

    [Fact]
    public void A_notice_without_a_delay_is_due_now_whenever_its_event_happened()
    {
        At(occurredAt: Now.AddDays(-10), TimeSpan.Zero).ShouldBe(Now);
        At(occurredAt: Now.AddHours(2), TimeSpan.Zero).ShouldBe(Now);
    }

    [Fact]
    public void A_delay_counts_from_the_event_s_moment_not_from_its_processing()
    {
        At(occurredAt: Now.AddDays(-1), ThreeDays).ShouldBe(Now.AddDays(2));
        At(occurredAt: Now, ThreeDays).ShouldBe(Now.AddDays(3));
    }

    [Fact]
    public void A_late_event_s_notice_whose_moment_has_passed_is_due_at_once()
    {
        At(occurredAt: Now.AddDays(-4), ThreeDays).ShouldBe(Now);
    }

    [Fact]
    public void An_event_stamped_a_little_ahead_of_the_clock_is_due_its_delay_after_its_own_moment()
    {
        At(occurredAt: Now.AddHours(1), ThreeDays).ShouldBe(Now.AddDays(3).AddHours(1));
    }

    private static DateTimeOffset At(DateTimeOffset occurredAt, TimeSpan delay) =>
        new RuleContext(Now, Client: null, Contract: null, _ => delay) { OccurredAt = occurredAt }.DueAt("AnyNotice");
}
