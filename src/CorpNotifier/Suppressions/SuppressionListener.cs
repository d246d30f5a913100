using CorpNotifier.Deliveries;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Suppressions;

/// <summary>
/// What delivery reports do to the list: a hard bounce or a complaint suppresses the address at once;
/// <c>Suppressions:SoftBounces</c> soft bounces within <c>Suppressions:SoftBounceWindow</c> do too.
/// Runs in the unit of work that records the report and does not save: the entry is committed with
/// the report, or not at all. An address already on the list keeps its first entry.
/// </summary>
public sealed partial class SuppressionListener(
    NoticesDbContext db,
    AddressHasher hasher,
    IOptions<SuppressionOptions> options,
    ILogger<SuppressionListener> logger) : IDeliveryListener
{
    /// <summary>The longest provider text kept (the column's length).</summary>
    public const int MaxNote = 1000;

    public async Task OnDeliveryAsync(DeliveryReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (string.IsNullOrWhiteSpace(report.Recipient))
        {
            return;
        }

        var hash = hasher.Hash(report.Recipient);
        switch (report.Outcome)
        {
            case DeliveryOutcome.HardBounce:
                await SuppressAsync(report, hash, SuppressionReasons.HardBounce, cancellationToken);
                break;
            case DeliveryOutcome.Complained:
                await SuppressAsync(report, hash, SuppressionReasons.Complaint, cancellationToken);
                break;
            case DeliveryOutcome.SoftBounce:
                await CountSoftBounceAsync(report, hash, cancellationToken);
                break;
        }
    }

    private async Task CountSoftBounceAsync(DeliveryReport report, string hash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var since = report.At - settings.SoftBounceWindow;

        // Older ones no longer count: each address keeps at most a window's worth of rows.
        var stale = await db.SoftBounces.Where(b => b.AddressHash == hash && b.At <= since).ToListAsync(cancellationToken);
        db.SoftBounces.RemoveRange(stale);
        db.SoftBounces.Add(new SoftBounceRecord { AddressHash = hash, At = report.At });

        var stored = await db.SoftBounces.AsNoTracking().CountAsync(b => b.AddressHash == hash && b.At > since, cancellationToken);
        var unsaved = db.ChangeTracker.Entries<SoftBounceRecord>()
            .Count(e => e.State == EntityState.Added && e.Entity.AddressHash == hash && e.Entity.At > since);
        var count = stored + unsaved;
        LogSoftBounce(report.NoticeId, EmailAddress.Mask(report.Recipient), count, settings.SoftBounces);
        if (count >= settings.SoftBounces)
        {
            await SuppressAsync(report, hash, SuppressionReasons.SoftBounces, cancellationToken);
        }
    }

    private async Task SuppressAsync(DeliveryReport report, string hash, string reason, CancellationToken cancellationToken)
    {
        if (db.Suppressions.Local.Any(s => s.AddressHash == hash)
            || await db.Suppressions.AsNoTracking().AnyAsync(s => s.AddressHash == hash, cancellationToken))
        {
            LogAlreadySuppressed(report.NoticeId, EmailAddress.Mask(report.Recipient), reason);
            return;
        }

        db.Suppressions.Add(new SuppressionRecord
        {
            Address = AddressHasher.Normalise(report.Recipient),
            AddressHash = hash,
            Reason = reason,
            Note = Note(report.ProviderText),
            NoticeId = report.NoticeId,
            ClientId = report.ClientId,
            CreatedAt = report.At,
            CreatedBy = report.Source,
        });
        LogSuppressed(report.NoticeId, EmailAddress.Mask(report.Recipient), reason, report.Source);
    }

    private static string? Note(string? providerText)
    {
        if (string.IsNullOrWhiteSpace(providerText))
        {
            return null;
        }

        // The provider's words often quote the address: the list keeps them masked (the entry has the address).
        var text = EmailAddress.MaskAll(providerText.Trim());
        return text.Length <= MaxNote ? text : text[..MaxNote];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Letter {NoticeId}: {Recipient} suppressed ({Reason}, reported by {Source})")]
    private partial void LogSuppressed(long noticeId, string recipient, string reason, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Letter {NoticeId}: {Recipient} is already suppressed; the {Reason} report adds nothing")]
    private partial void LogAlreadySuppressed(long noticeId, string recipient, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Letter {NoticeId}: soft bounce of {Recipient}, {Count} of {Limit} within the window")]
    private partial void LogSoftBounce(long noticeId, string recipient, int count, int limit);
}
