namespace CorpNotifier.TestKit;

/// <summary>
/// Delivery status notifications (RFC 3464) as a receiving MTA (Postfix) writes them back to a
/// letter's envelope sender: <c>multipart/report; report-type=delivery-status</c> with a readable
/// part, the <c>message/delivery-status</c> fields and the returned letter's headers.
/// </summary>
public static class DeliveryStatusNotifications
{
    /// <param name="originalMessageId">The returned letter's Message-ID, without angle brackets.</param>
    /// <param name="recipient">The address the letter did not reach.</param>
    /// <param name="action"><c>failed</c>, <c>delayed</c> or <c>delivered</c>.</param>
    /// <param name="status">The enhanced status code, e.g. <c>5.1.1</c>.</param>
    /// <param name="diagnostic">The remote server's words, e.g. <c>550 5.1.1 User unknown</c>.</param>
    /// <param name="envelopeSender">The letter's MAIL FROM, where the notification goes.</param>
    /// <param name="at">When the remote server last tried; now by default.</param>
    /// <param name="returnedAs"><c>text/rfc822-headers</c> (the headers only) or <c>message/rfc822</c> (the whole letter).</param>
    public static string Build(
        string originalMessageId,
        string recipient,
        string action = "failed",
        string status = "5.1.1",
        string diagnostic = "550 5.1.1 <{0}>: Recipient address rejected: User unknown in virtual mailbox table",
        string envelopeSender = "bounces@corp-notifier.local",
        string returnedAs = "text/rfc822-headers",
        DateTimeOffset? at = null)
    {
        var when = (at ?? DateTimeOffset.UtcNow).ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", System.Globalization.CultureInfo.InvariantCulture);
        var words = string.Format(System.Globalization.CultureInfo.InvariantCulture, diagnostic, recipient);
        var boundary = $"dsn-{Guid.NewGuid():N}";
        var returned = $"""
            Message-ID: <{originalMessageId}>
            From: Corporate clients <noreply@corp-notifier.local>
            To: {recipient}
            Subject: =?utf-8?B?0J3QuNC30LrQuNC5INCx0LDQu9Cw0L3RgQ==?=
            Date: {when}
            X-Notice-Kind: LowBalanceNotice
            """;
        if (returnedAs == "message/rfc822")
        {
            returned += "\nContent-Type: text/plain; charset=utf-8\n\nYour balance is low.\n";
        }

        var text = $"""
            Return-Path: <>
            Date: {when}
            From: MAILER-DAEMON@mx.clients.example (Mail Delivery System)
            Subject: {(action == "delayed" ? "Delayed Mail (still being retried)" : action == "delivered" ? "Successful Mail Delivery Report" : "Undelivered Mail Returned to Sender")}
            To: {envelopeSender}
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"
            Message-Id: <{Guid.NewGuid():N}@mx.clients.example>

            This is a MIME-encapsulated message.

            --{boundary}
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mx.clients.example.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients.

            --{boundary}
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.clients.example
            X-Postfix-Queue-ID: 4ABCD1234
            X-Postfix-Sender: rfc822; {envelopeSender}
            Arrival-Date: {when}

            Final-Recipient: rfc822; {recipient}
            Original-Recipient: rfc822;{recipient}
            Action: {action}
            Status: {status}
            Remote-MTA: dns; mailbox.clients.example
            Diagnostic-Code: smtp; {words}
            Last-Attempt-Date: {when}

            --{boundary}
            Content-Description: Undelivered Message Headers
            Content-Type: {returnedAs}

            {returned}
            --{boundary}--
            """;
        return text.ReplaceLineEndings("\r\n");
    }

    /// <summary>A message in the bounce mailbox that is no notification (an auto-reply, spam).</summary>
    public static string NotANotification(string subject = "Out of office") => $"""
        From: someone@clients.example
        To: bounces@corp-notifier.local
        Subject: {subject}
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        I am away until Monday.
        """.ReplaceLineEndings("\r\n");
}
