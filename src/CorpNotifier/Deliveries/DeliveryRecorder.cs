using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Deliveries;

/// <summary>A delivery event as a mailer or a notification tells it, before it is matched to a letter.</summary>
/// <param name="MessageId">The mailer's id of the letter (for SMTP, the letter's Message-ID).</param>
/// <param name="Recipient">The address it concerns, when told; it narrows the match.</param>
/// <param name="Outcome">What became of the letter.</param>
/// <param name="ProviderText">The provider's words (a diagnostic code, a description).</param>
/// <param name="At">When the provider says it happened.</param>
public sealed record IncomingDelivery(string MessageId, string? Recipient, DeliveryOutcome Outcome, string? ProviderText, DateTimeOffset At);

/// <summary>What became of a batch of delivery events.</summary>
public sealed record DeliveryBatchResult(int Recorded, int Duplicates, int Unknown);

/// <summary>
/// Records delivery events: each is matched by the mailer's message id (and its recipient, when
/// told) to the letters the mailer accepted; each new one is a report row, the recipient's latest
/// outcome, a step on the letter's timeline, and a call to every <see cref="IDeliveryListener"/>,
/// all in the caller's unit of work, saved together by <see cref="SaveAsync"/>. A report recorded
/// before (same letter, outcome and moment) changes nothing; one for a message id no letter has
/// is counted and ignored.
/// </summary>
public sealed partial class DeliveryRecorder(
    NoticesDbContext db,
    NoticeLedger ledger,
    IEnumerable<IDeliveryListener> listeners,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryRecorder> logger)
{
    private readonly List<(DeliveryOutcome Outcome, string Source)> _recorded = [];

    /// <summary>Adds the batch's new reports to the unit of work (not saved).</summary>
    public async Task<DeliveryBatchResult> RecordAsync(IReadOnlyList<IncomingDelivery> events, string source, CancellationToken cancellationToken)
    {
        int recorded = 0, duplicates = 0, unknown = 0;
        var now = time.GetUtcNow();
        var taken = new HashSet<(long, DeliveryOutcome, DateTimeOffset)>();
        foreach (var evt in events)
        {
            var messageId = LetterDeliveryIds.Normalize(evt.MessageId);
            var deliveries = messageId is null
                ? []
                : await db.LetterDeliveries.Where(d => d.ProviderMessageId == messageId).OrderBy(d => d.Id).ToListAsync(cancellationToken);
            if (!string.IsNullOrWhiteSpace(evt.Recipient) && deliveries.Count > 1)
            {
                // A message id the mailer gave several recipients' letters: the one the report names.
                // (An id of one letter is that letter's even when the report names the address as a
                // forwarding server rewrote it.)
                deliveries = [.. deliveries.Where(d => string.Equals(d.Recipient, evt.Recipient.Trim(), StringComparison.OrdinalIgnoreCase))];
            }

            if (deliveries.Count == 0)
            {
                unknown++;
                metrics.Unknown(source);
                LogUnknown(logger, source, WireName.Of(evt.Outcome));
                continue;
            }

            // Stored to the millisecond, as both databases keep it.
            var at = new DateTimeOffset(evt.At.UtcTicks - (evt.At.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            var words = evt.ProviderText is null ? null : Notice.Truncate(EmailAddress.MaskAll(evt.ProviderText.Trim()));
            foreach (var delivery in deliveries)
            {
                if (!taken.Add((delivery.Id, evt.Outcome, at))
                    || await db.DeliveryReports.AnyAsync(r => r.DeliveryId == delivery.Id && r.Outcome == evt.Outcome && r.At == at, cancellationToken))
                {
                    duplicates++;
                    continue;
                }

                await RecordOneAsync(delivery, evt.Outcome, at, words, source, now, cancellationToken);
                recorded++;
            }
        }

        return new DeliveryBatchResult(recorded, duplicates, unknown);
    }

    /// <summary>Saves the unit of work; then counts what it recorded.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (outcome, source) in _recorded)
        {
            metrics.Recorded(outcome, source);
        }

        _recorded.Clear();
    }

    /// <summary>Forgets the unsaved unit of work (a concurrent save recorded the same report first); the batch may be recorded again.</summary>
    public void Forget()
    {
        db.ChangeTracker.Clear();
        _recorded.Clear();
    }

    private async Task RecordOneAsync(LetterDelivery delivery, DeliveryOutcome outcome, DateTimeOffset at, string? words, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.DeliveryReports.Add(new DeliveryReportRecord
        {
            DeliveryId = delivery.Id,
            NoticeId = delivery.NoticeId,
            Outcome = outcome,
            At = at,
            ProviderText = words,
            Source = source,
            RecordedAt = now,
        });

        // The latest report is the recipient's outcome: an older one arriving late does not undo it.
        if (delivery.OutcomeAt is null || at >= delivery.OutcomeAt)
        {
            delivery.Outcome = WireName.Of(outcome);
            delivery.OutcomeAt = at;
            delivery.OutcomeText = words;
        }

        var notice = await db.Notices.AsNoTracking().Where(n => n.Id == delivery.NoticeId)
            .Select(n => new { n.Kind, n.ClientId })
            .FirstAsync(cancellationToken);
        var masked = EmailAddress.Mask(delivery.Recipient);
        var detail = $"{masked} {Words(outcome)} ({source}, {at:O})" + (words is null ? "" : $": {words}");
        ledger.DeliveryReported(delivery.NoticeId, notice.Kind, StepOf(outcome), detail, source);

        var report = new DeliveryReport(delivery.NoticeId, notice.ClientId, notice.Kind, delivery.Recipient, outcome, words, at, source);
        foreach (var listener in listeners)
        {
            await listener.OnDeliveryAsync(report, cancellationToken);
        }

        _recorded.Add((outcome, source));
        LogRecorded(logger, delivery.NoticeId, WireName.Of(outcome), source);
    }

    /// <summary>The timeline step a report is shown as.</summary>
    public static TimelineEntryType StepOf(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => TimelineEntryType.Delivered,
        DeliveryOutcome.Deferred => TimelineEntryType.Deferred,
        DeliveryOutcome.Complained => TimelineEntryType.Complained,
        _ => TimelineEntryType.Bounced,
    };

    private static string Words(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => "delivered",
        DeliveryOutcome.Deferred => "deferred",
        DeliveryOutcome.SoftBounce => "soft bounce",
        DeliveryOutcome.HardBounce => "hard bounce",
        _ => "complaint",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery report for letter {NoticeId}: {Outcome} ({Source})")]
    private static partial void LogRecorded(ILogger logger, long noticeId, string outcome, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery report ({Source}, {Outcome}) names a message id no letter has; ignored")]
    private static partial void LogUnknown(ILogger logger, string source, string outcome);
}
