using CorpNotifier.Contracts;
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

    [Fact]
    public async Task A_block_and_a_trial_letter_reach_the_sender_with_the_producers_codes_the_campaigns_were_written_for()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);

        var sent = await BlockAndTrialAsync(service);

        var block = Upstreams.SenderCalls.Where(c => c.Slug == "taxi-contract-activate").ShouldHaveSingleItem();
        block.ToEmail.ShouldBe("billing@acme.example");
        block.Args.GetProperty("reason").GetString().ShouldBe("debt");
        block.Args.GetProperty("external_contract_id").GetString().ShouldBe(TestEvents.DefaultExternalId);
        block.Args.GetProperty("is_active").GetBoolean().ShouldBeFalse();
        var trial = Upstreams.SenderCalls.Where(c => c.Slug == "new-trial-client").ShouldHaveSingleItem();
        trial.Args.GetProperty("contract_type").GetString().ShouldBe(Services.Cargo);
        trial.Args.GetProperty("yandex_login").GetString().ShouldBe(sent.Trial.YandexLogin);
    }

    [Fact]
    public async Task The_same_block_and_trial_letters_through_smtp_read_as_words()
    {
        var service = await StartServiceAsync(mailer: "Smtp");
        await SeedClientAsync(service);

        await BlockAndTrialAsync(service);

        Smtp.Messages.Count.ShouldBe(2);
        var block = Smtp.Messages.Single(m => m.Headers["X-Notice-Slug"] == "taxi-contract-activate");
        block.Subject.ShouldBe("Корпоративное такси: договор ДГ-7 заблокирован");
        block.TextBody!.ShouldContain("Оператор заблокировал договор ДГ-7");
        block.TextBody!.ShouldContain("Причина: Задолженность по договору");
        block.HtmlBody!.ShouldContain("Причина: <b>Задолженность по договору</b>");
        block.TextBody!.ShouldNotContain("debt", Case.Sensitive);
        var trial = Smtp.Messages.Single(m => m.Headers["X-Notice-Slug"] == "new-trial-client");
        trial.TextBody!.ShouldContain("Тип договора: Доставка");
        trial.HtmlBody!.ShouldContain("Тип договора: <b>Доставка</b>");
        trial.TextBody!.ShouldNotContain("cargo", Case.Sensitive);
    }

    /// <summary>
    /// An operator blocks client-42's contract for debt, and client-42 signs up for a cargo trial
    /// with its own login; waits until both letters to the client are sent.
    /// </summary>
    private async Task<(ContractSettingsChanged Block, NewTrialClient Trial)> BlockAndTrialAsync(ServiceProcess service)
    {
        var block = Events.ContractSettings("client-42", wasActive: true, isActive: false, reason: "debt");
        var trial = Events.Trial("client-42", TrialFlows.ClientTrial, contractType: Services.Cargo);
        await PostAsync(service, block);
        await PostAsync(service, trial);
        await WaitForNoticesAsync(
            n => n.Any(x => x.Kind == "TaxiContractActivateNotice" && x.Status == NoticeStatus.Sent)
                && n.Any(x => x.Kind == "NewTrialClientNotice" && x.Status == NoticeStatus.Sent),
            "the block and the trial letters to be sent");
        return (block, trial);
    }
}
