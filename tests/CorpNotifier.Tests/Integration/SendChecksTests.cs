using CorpNotifier.Rules;

namespace CorpNotifier.Tests.Integration;

/// <summary>Send-time checks record a reason code and never reach the mailer.</summary>
public sealed class SendChecksTests
{
    private static async Task<Notice> LowBalanceLetterAsync(TestHost host, params string[] emails)
    {
        await host.PostEventAsync(host.Events.Profile("client-42", emails.Length == 0 ? ["billing@acme.example"] : emails));
        await host.PostEventAsync(host.Events.ContractResync("client-42"));
        await Eventually.MatchAsync(() => host.WithDbAsync(db => Task.FromResult(db.Events.Count())), n => n == 2, "profile and contract");
        await host.PostEventAsync(host.Events.Balance("client-42", 150, 50, eventId: "balance-1"));
        var notices = await Eventually.MatchAsync(
            () => host.NoticesAsync("client-42"),
            n => n.Count == 1 && n[0].Status is not (NoticeStatus.Pending or NoticeStatus.Sending),
            "the letter to be done");
        return notices[0];
    }

    [Fact]
    public async Task A_disabled_notice_is_created_and_then_rejected_as_disabled()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Notices:LowBalanceNotice:Enabled"] = "false" });
        var notice = await LowBalanceLetterAsync(host);
        notice.Status.ShouldBe(NoticeStatus.Rejected);
        notice.ReasonCode.ShouldBe(ReasonCodes.Disabled);
        host.Letters().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_client_whose_country_has_no_slug_and_no_default_is_rejected_as_no_slug()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Notices:LowBalanceNotice:Slugs:kaz"] = "low-balance-kz" });
        var notice = await LowBalanceLetterAsync(host);
        notice.Status.ShouldBe(NoticeStatus.Rejected);
        notice.ReasonCode.ShouldBe(ReasonCodes.NoSlug);
        notice.Reason!.ShouldContain("rus");
        host.Letters().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_country_slug_wins_over_the_default()
    {
        using var host = new TestHost(new Dictionary<string, string?>
        {
            ["Notices:LowBalanceNotice:Slugs:default"] = "missing-template",
            ["Notices:LowBalanceNotice:Slugs:rus"] = "low-balance",
        });
        var notice = await LowBalanceLetterAsync(host);
        notice.Status.ShouldBe(NoticeStatus.Sent);
        notice.SentSlug.ShouldBe("low-balance");
    }

    [Fact]
    public async Task A_client_without_email_and_no_extra_recipients_is_rejected_as_no_recipient()
    {
        using var host = new TestHost();
        var notice = await LowBalanceLetterWithoutEmailsAsync(host);
        notice.Status.ShouldBe(NoticeStatus.Rejected);
        notice.ReasonCode.ShouldBe(ReasonCodes.NoRecipient);
        host.Letters().ShouldBeEmpty();
    }

    [Fact]
    public async Task Extra_recipients_of_the_default_entry_receive_the_letter_when_the_client_has_no_email()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Notices:LowBalanceNotice:ExtraRecipients:default:0"] = "moderators@corp.example" });
        var notice = await LowBalanceLetterWithoutEmailsAsync(host);
        notice.Status.ShouldBe(NoticeStatus.Sent);
        notice.SentTo.ShouldBe(["moderators@corp.example"]);
    }

    [Fact]
    public async Task A_notice_in_shadow_mode_ends_shadowed_with_what_it_would_have_sent_and_no_letter()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Notices:LowBalanceNotice:Mode"] = "Shadow" });
        var notice = await LowBalanceLetterAsync(host);
        notice.Status.ShouldBe(NoticeStatus.Shadowed);
        notice.SentTo.ShouldBe(["billing@acme.example"]);
        notice.SentSlug.ShouldBe("low-balance");
        notice.SentAt.ShouldBeNull();
        host.Letters().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_letter_of_a_kind_this_version_does_not_know_fails_as_unknown_kind()
    {
        using var host = new TestHost();
        host.CreateClient().Dispose();
        var now = host.Clock.GetUtcNow();
        await host.WithDbAsync(async db =>
        {
            db.Notices.Add(new Notice { ClientId = "client-42", Kind = "RetiredNotice", Status = NoticeStatus.Pending, SendAt = now, CreatedAt = now, UpdatedAt = now });
            return await db.SaveChangesAsync();
        });

        var notice = (await Eventually.MatchAsync(() => host.NoticesAsync("client-42"), n => n[0].Status == NoticeStatus.Failed, "the letter to fail"))[0];
        notice.ReasonCode.ShouldBe(ReasonCodes.UnknownKind);
    }

    [Fact]
    public async Task A_template_missing_for_the_slug_fails_the_letter_without_retries()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Notices:LowBalanceNotice:Slugs:default"] = "no-such-template" });
        var notice = await LowBalanceLetterAsync(host);
        notice.Status.ShouldBe(NoticeStatus.Failed);
        notice.ReasonCode.ShouldBe(ReasonCodes.MailerRejected);
        notice.Reason!.ShouldContain("no-such-template");
        notice.Attempts.ShouldBe(1);
    }

    private static async Task<Notice> LowBalanceLetterWithoutEmailsAsync(TestHost host)
    {
        await host.PostEventAsync(host.Events.Profile("client-42", emails: [], eventId: "profile-empty"));
        await host.PostEventAsync(host.Events.ContractResync("client-42"));
        await Eventually.MatchAsync(() => host.WithDbAsync(db => Task.FromResult(db.Events.Count(e => e.Type == "ContractChanged"))), n => n == 1, "the contract");
        await Eventually.MatchAsync(() => host.WithDbAsync(db => Task.FromResult(db.Events.Count(e => e.Type == "ClientProfileChanged"))), n => n >= 1, "the profile");
        await host.PostEventAsync(host.Events.Balance("client-42", 150, 50, eventId: "balance-1"));
        return (await Eventually.MatchAsync(
            () => host.NoticesAsync("client-42"),
            n => n.Count == 1 && n[0].Status is not (NoticeStatus.Pending or NoticeStatus.Sending),
            "the letter to be done"))[0];
    }
}
