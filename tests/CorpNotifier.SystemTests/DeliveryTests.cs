using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Delivery reports from real mailers: a bounce an MTA sends back to the SMTP mailer's envelope
/// sender, read from a real IMAP mailbox (dovecot, <c>CORP_TEST_IMAP</c>), and a hard bounce the
/// Sender reports by signed webhook; each shown on the letter's timeline with the provider's words.
/// </summary>
public sealed class DeliveryTests : SystemTest
{
    private const string BounceAddress = "bounces@corp-notifier.local";

    [Fact]
    public async Task A_bounce_notification_in_the_smtp_mailer_s_mailbox_is_a_bounced_step_that_suppresses_the_address_and_a_message_that_is_none_is_kept()
    {
        var imap = new Uri(Environment.GetEnvironmentVariable("CORP_TEST_IMAP")
            ?? throw new InvalidOperationException("CORP_TEST_IMAP is not set: run deploy/local/start-dovecot.sh and export its address (test.sh does)."));
        var (user, password) = (Uri.UnescapeDataString(imap.UserInfo.Split(':')[0]), Uri.UnescapeDataString(imap.UserInfo.Split(':')[1]));
        // This test's own folders of the shared mailbox.
        var folder = $"t{Guid.NewGuid():N}"[..12];
        var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["Smtp:BounceAddress"] = BounceAddress,
            ["Deliveries:Imap:Host"] = imap.Host,
            ["Deliveries:Imap:Port"] = imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Deliveries:Imap:Security"] = "None",
            ["Deliveries:Imap:User"] = user,
            ["Deliveries:Imap:Password"] = password,
            ["Deliveries:Imap:Folder"] = folder,
            ["Deliveries:Imap:ProcessedFolder"] = $"{folder}-done",
            ["Deliveries:Imap:UnparsedFolder"] = $"{folder}-unparsed",
            ["Deliveries:Imap:PollInterval"] = "00:00:00.500",
        }, mailer: "Smtp");
        await SeedClientAsync(service, emails: "gone@clients.example");
        await PostAsync(service, Events.Balance("client-42", 150, 50));
        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "the letter to be sent"))[0];
        var letter = Smtp.Messages.ShouldHaveSingleItem();

        using (var client = new ImapClient())
        {
            await client.ConnectAsync(imap.Host, imap.Port, SecureSocketOptions.None);
            await client.AuthenticateAsync(user, password);
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            var inbox = await root.CreateAsync(folder, isMessageFolder: true) ?? throw new InvalidOperationException("the folder was not created");
            await inbox.AppendAsync(Parse(DeliveryStatusNotifications.Build(letter.MessageId!, "gone@clients.example", envelopeSender: BounceAddress)));
            await inbox.AppendAsync(Parse(DeliveryStatusNotifications.NotANotification()));
            await client.DisconnectAsync(quit: true);
        }

        var bounced = await WaitForNoticesAsync(
            n => n.Single(x => x.Id == notice.Id).Timeline.Any(t => t.Type == TimelineEntryType.Bounced),
            "the letter's bounced step");
        var step = bounced.Single(x => x.Id == notice.Id).Timeline.Single(t => t.Type == TimelineEntryType.Bounced);
        step.Detail!.ShouldContain("g***@clients.example hard bounce (dsn");
        step.Detail!.ShouldContain("User unknown in virtual mailbox table");
        step.Actor.ShouldBe("dsn");

        // The notification is moved to the processed folder; the other message is kept for inspection.
        var counts = await Eventually.MatchAsync(
            async () =>
            {
                using var client = new ImapClient();
                await client.ConnectAsync(imap.Host, imap.Port, SecureSocketOptions.None);
                await client.AuthenticateAsync(user, password);
                var result = new List<int>();
                foreach (var name in new[] { folder, $"{folder}-done", $"{folder}-unparsed" })
                {
                    var f = await client.GetFolderAsync(name);
                    await f.OpenAsync(FolderAccess.ReadOnly);
                    result.Add(f.Count);
                    await f.CloseAsync();
                }

                await client.DisconnectAsync(quit: true);
                return result;
            },
            c => c.SequenceEqual([0, 1, 1]),
            "the mailbox's messages moved (inbox, processed, unparsed)",
            diagnostics: Logs);
        counts.ShouldBe([0, 1, 1]);
        await NextLetterSkipsTheSuppressedAddressAsync(service, notice.Id);
        service.Log().ShouldNotContain("gone@clients.example");
    }

    [Fact]
    public async Task A_hard_bounce_and_a_complaint_the_sender_reports_by_signed_webhook_are_steps_of_the_letter_and_the_client_s_next_letter_skips_both_addresses()
    {
        var settings = CorpNotifier.TestHosting.SenderStandIn.ServiceWebhookSettings();
        var service = await StartServiceAsync(settings);
        Upstreams.Sender.DeliveryWebhook = new Uri($"{service.BaseUrl}/api/v1/deliveries/webhook");
        await SeedClientAsync(service, emails: ["bounce@clients.example", "complain@clients.example"]);

        await PostAsync(service, Events.Balance("client-42", 150, 50));

        var notices = await WaitForNoticesAsync(
            n => n.Count == 1 && n[0].Timeline.Any(t => t.Type == TimelineEntryType.Bounced) && n[0].Timeline.Any(t => t.Type == TimelineEntryType.Complained),
            "the letter's bounced and complained steps");
        var step = notices[0].Timeline.Single(t => t.Type == TimelineEntryType.Bounced);
        step.Detail!.ShouldContain("b***@clients.example hard bounce (webhook");
        step.Detail!.ShouldContain("does not exist");
        notices[0].Timeline.Single(t => t.Type == TimelineEntryType.Complained).Detail!.ShouldContain("marked the letter as spam");
        // The stand-in counts a call once it has read the answer, which may be after the service applied it.
        await Eventually.MatchAsync(() => Task.FromResult(Upstreams.Sender.WebhooksAccepted), n => n == 2, "both webhooks answered");
        await NextLetterSkipsTheSuppressedAddressAsync(service, notices[0].Id);
        var next = (await WaitForNoticesAsync(n => n.Any(x => x.Kind == "LimitIsOverNotice"), "the next letter")).Single(x => x.Kind == "LimitIsOverNotice");
        next.Timeline.ShouldContain(t => t.Type == TimelineEntryType.RecipientSkipped && t.Detail!.Contains("complain", StringComparison.Ordinal));
    }

    /// <summary>
    /// The hard bounce put the address on the suppression list: the client's next letter (the
    /// mandatory limit-is-over letter) skips it and, with nobody left, ends rejected as suppressed,
    /// the bounce on its timeline.
    /// </summary>
    private async Task NextLetterSkipsTheSuppressedAddressAsync(ServiceProcess service, long bouncedId)
    {
        await PostAsync(service, Events.Balance("client-42", 50, 5));
        var notices = await WaitForNoticesAsync(
            n => n.Any(x => x.Id != bouncedId && x.Kind == "LimitIsOverNotice" && x.Status == NoticeStatus.Rejected),
            "the next letter rejected");
        var next = notices.Single(x => x.Id != bouncedId && x.Kind == "LimitIsOverNotice");
        next.ReasonCode.ShouldBe(CorpNotifier.Rules.ReasonCodes.Suppressed);
        next.Timeline.ShouldContain(t => t.Type == TimelineEntryType.RecipientSkipped && t.Detail!.Contains("hard bounce", StringComparison.Ordinal));
    }

    private static MimeMessage Parse(string text) => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
}
