using CorpNotifier.Rules;

namespace CorpNotifier.SystemTests;

/// <summary>Letters reach real mailers: an SMTP server and the Sender HTTP API, with retries and refusals.</summary>
public sealed class SendingTests : SystemTest
{
    [Fact]
    public async Task An_immediate_letter_reaches_the_smtp_server_for_the_client_and_the_extra_recipients()
    {
        var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["Notices:LowBalanceNotice:ExtraRecipients:default:0"] = "moderators@corp.example",
        }, mailer: "Smtp");
        await SeedClientAsync(service);

        await PostAsync(service, Events.Balance("client-42", 150, 50));

        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "the letter to be sent"))[0];
        notice.SentSlug.ShouldBe("low-balance");
        Smtp.Messages.Count.ShouldBe(2);
        Smtp.Messages.Select(m => m.To.ToString()).ShouldBe(["billing@acme.example", "moderators@corp.example"], ignoreOrder: true);
        foreach (var message in Smtp.Messages)
        {
            message.Headers["X-Notice-Slug"].ShouldBe("low-balance");
            message.Headers["X-Notice-Id"].ShouldBe(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            message.Subject.ShouldBe("Баланс по договору ДГ-7 скоро закончится");
            message.TextBody!.ShouldContain("опустился до 50 RUB (было 150 RUB)");
            message.HtmlBody!.ShouldContain("<b>50 RUB</b>");
        }
    }

    [Fact]
    public async Task An_immediate_letter_reaches_the_sender_api_with_slug_recipient_arguments_and_account_key()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);

        await PostAsync(service, Events.Balance("client-42", 150, 5));

        var notices = await WaitForNoticesAsync(n => n.Any(x => x.Kind == "LimitIsOverNotice" && x.Status == NoticeStatus.Sent), "limit-is-over to be sent");
        var call = Upstreams.SenderCalls.ShouldHaveSingleItem();
        call.Account.ShouldBe("corp");
        call.Slug.ShouldBe("limit-is-over");
        call.ToEmail.ShouldBe("billing@acme.example");
        call.Authorization.ShouldBe("test-account-key:");
        call.Async.ShouldBeTrue();
        call.Args.GetProperty("contract_id").GetString().ShouldBe("contract-7");
        call.Args.GetProperty("external_id").GetString().ShouldBe("ДГ-7");
        call.Args.GetProperty("old_balance").GetString().ShouldBe("150");
        call.Args.GetProperty("new_balance").GetString().ShouldBe("5");

        var sent = notices.Single(n => n.Kind == "LimitIsOverNotice");
        sent.ProviderMessageId.ShouldBe("msg-1");
        sent.SentTo.ShouldBe(["billing@acme.example"]);
        notices.Single(n => n.Kind == "LimitIsOverRemindNotice").Status.ShouldBe(NoticeStatus.Pending);
    }

    [Fact]
    public async Task A_sender_failing_three_times_then_accepting_gives_one_letter_with_its_attempts_recorded()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        Upstreams.SenderScript.Enqueue(500);
        Upstreams.SenderScript.Enqueue(500);
        Upstreams.SenderScript.Enqueue(500);

        await PostAsync(service, Events.Balance("client-42", 150, 50));

        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "the letter to be sent after the retries"))[0];
        notice.Attempts.ShouldBe(4);
        Upstreams.SenderCalls.Count.ShouldBe(4);
        notice.Timeline.Count(t => t.Type == TimelineEntryType.AttemptFailed).ShouldBe(3);
        notice.Timeline.Where(t => t.Type == TimelineEntryType.AttemptFailed).ShouldAllBe(t => t.Detail!.Contains("Sender answered 500"));
        notice.Timeline.Count(t => t.Type == TimelineEntryType.Sent).ShouldBe(1);
    }

    [Fact]
    public async Task A_sender_refusing_with_400_fails_the_letter_with_its_message_and_is_not_retried()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        Upstreams.SenderScript.Enqueue(400);

        await PostAsync(service, Events.Balance("client-42", 150, 50));

        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == NoticeStatus.Failed, "the letter to fail"))[0];
        notice.ReasonCode.ShouldBe(ReasonCodes.MailerRejected);
        notice.Reason!.ShouldContain("400");
        notice.Reason!.ShouldContain("invalid email");
        notice.Attempts.ShouldBe(1);

        await SweptPastAsync(service, DateTimeOffset.UtcNow.AddSeconds(1)); // past the longest backoff (1 s)
        Upstreams.SenderCalls.Count.ShouldBe(2); // the letter once, and the proof letter
        var failed = (await Env.NoticesAsync()).Single(n => n.Id == notice.Id);
        failed.Status.ShouldBe(NoticeStatus.Failed);
        failed.Attempts.ShouldBe(1);
    }
}
