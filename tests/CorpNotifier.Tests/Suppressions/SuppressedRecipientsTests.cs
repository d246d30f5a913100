using System.Net;
using System.Net.Http.Json;
using CorpNotifier.Auth;
using CorpNotifier.Deliveries;
using CorpNotifier.Rules;
using CorpNotifier.Suppressions;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>The send path skips suppressed recipients one by one, and ends a letter with none left rejected as suppressed.</summary>
public sealed class SuppressedRecipientsTests(SuppressionHost fixture) : IClassFixture<SuppressionHost>
{
    private async Task<Notice> LowBalanceLetterAsync(string clientId, params string[] emails)
    {
        var host = fixture.Host;
        await host.PostAndWaitAsync(host.Events.Profile(clientId, emails));
        await host.PostAndWaitAsync(host.Events.ContractResync(clientId, contractId: $"{clientId}-contract"));
        await host.PostAndWaitAsync(host.Events.Balance(clientId, 150, 50, contractId: $"{clientId}-contract"));
        return (await Eventually.MatchAsync(
            () => host.NoticesAsync(clientId),
            n => n.Count == 1 && n[0].Status is not (NoticeStatus.Pending or NoticeStatus.Sending),
            "the letter to be done"))[0];
    }

    private Task<List<NoticeTimelineEntry>> TimelineAsync(long noticeId) =>
        fixture.Host.WithDbAsync(db => db.Timeline.AsNoTracking().Where(t => t.NoticeId == noticeId).OrderBy(t => t.Id).ToListAsync());

    [Fact]
    public async Task A_letter_skips_a_bounced_address_whatever_its_case_and_goes_to_the_others_with_the_reason_on_its_timeline()
    {
        await fixture.ReportAsync(fixture.Report("send-1", "billing@send1.example", DeliveryOutcome.HardBounce, "550 5.1.1 user unknown", noticeId: 123));

        var notice = await LowBalanceLetterAsync("send-1", "Billing@Send1.example", "boss@send1.example");

        notice.Status.ShouldBe(NoticeStatus.Sent);
        notice.SentTo.ShouldBe(["boss@send1.example"]);
        var skipped = (await TimelineAsync(notice.Id)).Where(t => t.Type == TimelineEntryType.RecipientSkipped).ShouldHaveSingleItem();
        skipped.Detail.ShouldBe("B***@Send1.example skipped, suppressed: hard bounce on letter 123: 550 5.1.1 user unknown");
    }

    [Fact]
    public async Task A_letter_whose_every_recipient_is_suppressed_ends_rejected_as_suppressed_without_reaching_the_mailer()
    {
        await fixture.ReportAsync(fixture.Report("send-2", "only@send2.example", DeliveryOutcome.Complained, noticeId: 55));
        var lettersBefore = fixture.Host.Letters().Length;

        var notice = await LowBalanceLetterAsync("send-2", "only@send2.example");

        notice.Status.ShouldBe(NoticeStatus.Rejected);
        notice.ReasonCode.ShouldBe(ReasonCodes.Suppressed);
        notice.Reason.ShouldBe("o***@send2.example: complaint (marked as spam) on letter 55");
        notice.SentTo.ShouldBeEmpty();
        fixture.Host.Letters().Length.ShouldBe(lettersBefore);
    }

    [Fact]
    public async Task An_address_an_admin_suppressed_is_skipped_and_once_removed_gets_letters_again()
    {
        using var admin = fixture.Host.Client(Roles.Admin);
        using var added = await admin.PostAsJsonAsync("/api/v1/suppressions", new { address = "Moved@Send3.example", note = "the client asked, ticket 42", clientId = "send-3" });
        added.StatusCode.ShouldBe(HttpStatusCode.Created);
        var entry = (await added.Content.ReadFromJsonAsync<SuppressionView>())!;

        var first = await LowBalanceLetterAsync("send-3", "moved@send3.example");
        first.ReasonCode.ShouldBe(ReasonCodes.Suppressed);
        first.Reason.ShouldBe("m***@send3.example: suppressed by test-admin: the client asked, ticket 42");

        using var removed = await admin.DeleteAsync($"/api/v1/suppressions/{entry.Id}");
        removed.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Another contract's low balance: the first contract's letter of the day is its cap.
        await fixture.Host.PostAndWaitAsync(fixture.Host.Events.ContractResync("send-3", contractId: "send-3-other"));
        await fixture.Host.PostAndWaitAsync(fixture.Host.Events.Balance("send-3", 150, 50, contractId: "send-3-other"));
        var second = await Eventually.MatchAsync(
            () => fixture.Host.NoticesAsync("send-3"),
            n => n.Count == 2 && n[1].Status is not (NoticeStatus.Pending or NoticeStatus.Sending),
            "the second letter to be done");
        second[1].Status.ShouldBe(NoticeStatus.Sent);
        second[1].SentTo.ShouldBe(["moved@send3.example"]);
    }
}
