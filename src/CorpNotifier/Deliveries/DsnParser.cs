using MimeKit;
using MimeKit.Utils;

namespace CorpNotifier.Deliveries;

/// <summary>What a message of the bounce mailbox said: its delivery events, or why it is no readable notification.</summary>
public sealed record DsnReading(IReadOnlyList<IncomingDelivery> Events, string? Problem)
{
    public bool IsReadable => Problem is null;
}

/// <summary>
/// Reads a delivery status notification (RFC 3464: <c>multipart/report; report-type=delivery-status</c>)
/// with MimeKit's <see cref="MessageDeliveryStatus"/>: one event per recipient group —
/// <c>Action: failed</c> with a 5.x.x status is a hard bounce, with a 4.x.x one a soft bounce;
/// <c>delayed</c> is deferred; <c>delivered</c>, <c>relayed</c> and <c>expanded</c> are delivered. The
/// provider's words are the <c>Diagnostic-Code</c> (else the status). The letter is named by the
/// original Message-ID, read from the returned headers (<c>text/rfc822-headers</c>) or message
/// (<c>message/rfc822</c>).
/// </summary>
public static class DsnParser
{
    public static DsnReading Read(MimeMessage message, DateTimeOffset receivedAt)
    {
        var status = message.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is null)
        {
            return Unreadable("no message/delivery-status part");
        }

        var original = message.BodyParts.OfType<MessagePart>()
            .Select(p => p.Message?.MessageId)
            .FirstOrDefault(id => !string.IsNullOrWhiteSpace(id));
        if (original is null)
        {
            return Unreadable("no original Message-ID (text/rfc822-headers or message/rfc822 part)");
        }

        var groups = status.StatusGroups;
        if (groups.Count < 2)
        {
            return Unreadable("no per-recipient fields in the delivery status");
        }

        var perMessage = groups[0];
        var arrival = Date(perMessage["Arrival-Date"]);
        var events = new List<IncomingDelivery>();
        for (var i = 1; i < groups.Count; i++)
        {
            var fields = groups[i];
            var action = fields["Action"]?.Trim().ToLowerInvariant();
            var code = fields["Status"]?.Trim();
            DeliveryOutcome? outcome = action switch
            {
                "failed" => code is not null && code.StartsWith('4') ? DeliveryOutcome.SoftBounce : DeliveryOutcome.HardBounce,
                "delayed" => DeliveryOutcome.Deferred,
                "delivered" or "relayed" or "expanded" => DeliveryOutcome.Delivered,
                _ => null,
            };
            if (outcome is null)
            {
                continue;
            }

            var recipient = Address(fields["Final-Recipient"]) ?? Address(fields["Original-Recipient"]);
            var diagnostic = Typed(fields["Diagnostic-Code"]);
            var words = diagnostic is null ? $"{action} {code}".Trim() : code is null || diagnostic.Contains(code, StringComparison.Ordinal) ? diagnostic : $"{code} {diagnostic}";
            var at = Date(fields["Last-Attempt-Date"]) ?? arrival ?? (message.Date != DateTimeOffset.MinValue ? message.Date : receivedAt);
            events.Add(new IncomingDelivery(original, recipient, outcome.Value, words, at));
        }

        return events.Count == 0 ? Unreadable("no recipient with a known action") : new DsnReading(events, null);
    }

    private static DsnReading Unreadable(string why) => new([], why);

    /// <summary>The value of a typed field (<c>rfc822; bob@example.com</c>, <c>smtp; 550 …</c>) without its type, unfolded.</summary>
    private static string? Typed(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';');
        var text = semicolon >= 0 ? value[(semicolon + 1)..] : value;
        return string.Join(' ', text.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
    }

    private static string? Address(string? value) => Typed(value)?.Trim('<', '>');

    private static DateTimeOffset? Date(string? value) =>
        !string.IsNullOrWhiteSpace(value) && DateUtils.TryParse(value, out var date) ? date : null;
}
