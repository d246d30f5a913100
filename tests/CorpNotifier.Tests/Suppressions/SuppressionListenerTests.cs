using CorpNotifier.Deliveries;
using CorpNotifier.Persistence;
using CorpNotifier.Suppressions;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>What delivery reports do to the suppression list (the listener called as the deliveries part calls it).</summary>
public sealed class SuppressionListenerTests(SuppressionHost fixture) : IClassFixture<SuppressionHost>
{
    [Fact]
    public async Task A_hard_bounce_suppresses_the_address_at_once_with_the_providers_words_and_the_letter()
    {
        await fixture.ReportAsync(fixture.Report("hard-1", "Billing@Hard.example", DeliveryOutcome.HardBounce, "550 5.1.1 <Billing@Hard.example>: user unknown", noticeId: 123));

        var entry = (await fixture.EntriesAsync("hard-1")).ShouldHaveSingleItem();
        entry.Address.ShouldBe("billing@hard.example");
        entry.Reason.ShouldBe(SuppressionReasons.HardBounce);
        entry.NoticeId.ShouldBe(123);
        entry.CreatedBy.ShouldBe("webhook");
        entry.Note.ShouldBe("550 5.1.1 <B***@Hard.example>: user unknown");
        entry.AddressHash.Length.ShouldBe(64);
        SuppressionWords.Why(entry).ShouldBe("hard bounce on letter 123: 550 5.1.1 <B***@Hard.example>: user unknown");
    }

    [Fact]
    public async Task A_complaint_suppresses_the_address_at_once()
    {
        await fixture.ReportAsync(fixture.Report("complaint-1", "boss@complaint.example", DeliveryOutcome.Complained));

        (await fixture.EntriesAsync("complaint-1")).ShouldHaveSingleItem().Reason.ShouldBe(SuppressionReasons.Complaint);
    }

    [Fact]
    public async Task Delivered_and_deferred_reports_leave_the_list_alone()
    {
        await fixture.ReportAsync(fixture.Report("fine-1", "ok@fine.example", DeliveryOutcome.Delivered));
        await fixture.ReportAsync(fixture.Report("fine-1", "ok@fine.example", DeliveryOutcome.Deferred));

        (await fixture.EntriesAsync("fine-1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_third_soft_bounce_within_seven_days_suppresses_the_address_and_not_the_second()
    {
        var start = fixture.Host.Clock.GetUtcNow();
        await fixture.ReportAsync(fixture.Report("soft-1", "full@soft.example", DeliveryOutcome.SoftBounce, "452 mailbox full", at: start));
        await fixture.ReportAsync(fixture.Report("soft-1", "FULL@soft.example", DeliveryOutcome.SoftBounce, "452 mailbox full", at: start.AddDays(3)));
        (await fixture.EntriesAsync("soft-1")).ShouldBeEmpty();

        await fixture.ReportAsync(fixture.Report("soft-1", "full@soft.example", DeliveryOutcome.SoftBounce, "452 mailbox full", noticeId: 9, at: start.AddDays(6)));

        var entry = (await fixture.EntriesAsync("soft-1")).ShouldHaveSingleItem();
        entry.Reason.ShouldBe(SuppressionReasons.SoftBounces);
        entry.NoticeId.ShouldBe(9);
    }

    [Fact]
    public async Task Soft_bounces_further_apart_than_the_window_do_not_add_up()
    {
        var start = fixture.Host.Clock.GetUtcNow();
        await fixture.ReportAsync(fixture.Report("soft-2", "slow@soft.example", DeliveryOutcome.SoftBounce, at: start));
        await fixture.ReportAsync(fixture.Report("soft-2", "slow@soft.example", DeliveryOutcome.SoftBounce, at: start.AddDays(5)));
        await fixture.ReportAsync(fixture.Report("soft-2", "slow@soft.example", DeliveryOutcome.SoftBounce, at: start.AddDays(10)));

        (await fixture.EntriesAsync("soft-2")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_address_already_suppressed_keeps_its_first_entry()
    {
        await fixture.ReportAsync(fixture.Report("twice-1", "gone@twice.example", DeliveryOutcome.HardBounce, "550 no such user", noticeId: 1));
        await fixture.ReportAsync(fixture.Report("twice-1", "Gone@Twice.example", DeliveryOutcome.Complained, noticeId: 2));

        var entry = (await fixture.EntriesAsync("twice-1")).ShouldHaveSingleItem();
        entry.Reason.ShouldBe(SuppressionReasons.HardBounce);
        entry.NoticeId.ShouldBe(1);
    }

    [Fact]
    public async Task Two_reports_of_one_address_in_one_unit_of_work_make_one_entry()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var listener = scope.ServiceProvider.GetServices<IDeliveryListener>().OfType<SuppressionListener>().Single();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        await listener.OnDeliveryAsync(fixture.Report("batch-1", "one@batch.example", DeliveryOutcome.HardBounce), CancellationToken.None);
        await listener.OnDeliveryAsync(fixture.Report("batch-1", "ONE@batch.example", DeliveryOutcome.Complained), CancellationToken.None);
        await db.SaveChangesAsync();

        (await fixture.EntriesAsync("batch-1")).ShouldHaveSingleItem();
    }
}
