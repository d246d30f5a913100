using CorpNotifier.Deliveries;
using MimeKit;

namespace CorpNotifier.Tests.Deliveries;

public sealed class DsnParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static DsnReading Read(string text) =>
        DsnParser.Read(MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))), Now);

    [Fact]
    public void A_failed_recipient_with_a_5xx_status_is_a_hard_bounce_with_the_diagnostic_code_and_the_original_message_id()
    {
        var reading = Read(DeliveryStatusNotifications.Build("notice-7-abc@corp-notifier", "bob@clients.example", at: Now.AddMinutes(-3)));
        reading.IsReadable.ShouldBeTrue(reading.Problem);
        var evt = reading.Events.ShouldHaveSingleItem();
        evt.MessageId.ShouldBe("notice-7-abc@corp-notifier");
        evt.Recipient.ShouldBe("bob@clients.example");
        evt.Outcome.ShouldBe(DeliveryOutcome.HardBounce);
        evt.ProviderText!.ShouldContain("550 5.1.1");
        evt.ProviderText!.ShouldContain("User unknown");
        evt.At.ShouldBe(Now.AddMinutes(-3));
    }

    [Fact]
    public void A_failed_recipient_with_a_4xx_status_is_a_soft_bounce()
    {
        var reading = Read(DeliveryStatusNotifications.Build("n-1@x", "bob@clients.example", status: "4.2.2", diagnostic: "452 4.2.2 Mailbox full"));
        reading.Events.ShouldHaveSingleItem().Outcome.ShouldBe(DeliveryOutcome.SoftBounce);
        reading.Events[0].ProviderText.ShouldBe("452 4.2.2 Mailbox full");
    }

    [Fact]
    public void A_delayed_recipient_is_deferred_and_a_delivered_one_delivered()
    {
        Read(DeliveryStatusNotifications.Build("n-1@x", "bob@clients.example", action: "delayed", status: "4.4.1", diagnostic: "connect to mx: Connection timed out"))
            .Events.ShouldHaveSingleItem().Outcome.ShouldBe(DeliveryOutcome.Deferred);
        Read(DeliveryStatusNotifications.Build("n-1@x", "bob@clients.example", action: "delivered", status: "2.0.0", diagnostic: "250 2.0.0 Ok"))
            .Events.ShouldHaveSingleItem().Outcome.ShouldBe(DeliveryOutcome.Delivered);
    }

    [Fact]
    public void The_original_message_id_is_read_from_a_returned_whole_message_too()
    {
        var reading = Read(DeliveryStatusNotifications.Build("notice-9-def@corp-notifier", "bob@clients.example", returnedAs: "message/rfc822"));
        reading.Events.ShouldHaveSingleItem().MessageId.ShouldBe("notice-9-def@corp-notifier");
    }

    [Fact]
    public void A_message_that_is_no_notification_is_unreadable_with_the_reason()
    {
        var reading = Read(DeliveryStatusNotifications.NotANotification());
        reading.IsReadable.ShouldBeFalse();
        reading.Problem!.ShouldContain("delivery-status");
        reading.Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_notification_without_the_returned_headers_is_unreadable()
    {
        var text = DeliveryStatusNotifications.Build("n-1@x", "bob@clients.example").Replace("Message-ID: <n-1@x>\r\n", "", StringComparison.Ordinal);
        var reading = Read(text);
        reading.IsReadable.ShouldBeFalse();
        reading.Problem!.ShouldContain("Message-ID");
    }
}
