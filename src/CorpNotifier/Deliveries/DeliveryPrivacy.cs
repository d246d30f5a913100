using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Deliveries;

/// <summary>
/// The delivery records' part in a client's erasure and in retention: each accepted recipient's
/// address (<c>letter_deliveries.recipient</c>) is replaced, and the provider's words that quote an
/// address are removed. The outcomes, their times and the message ids (which carry no address) stay,
/// so the counts of what reached clients survive.
/// </summary>
public sealed class DeliveryPrivacy(NoticesDbContext db) : IClientDataEraser, ILetterDataRetention
{
    public const string Erased = "[erased]";

    public string Name => "deliveries";

    public async Task<int> EraseAsync(ClientErasure erasure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var addresses = erasure.Addresses.Select(a => a.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var letters = db.Notices.Where(n => n.ClientId == erasure.ClientId).Select(n => n.Id);
        var rows = await db.LetterDeliveries
            .Where(d => letters.Contains(d.NoticeId) || addresses.Contains(d.Recipient.ToLower()))
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            row.Recipient = Erased;
            row.OutcomeText = row.OutcomeText is { } text && text.Contains('@', StringComparison.Ordinal) ? Erased : row.OutcomeText;
        }

        var ids = rows.Select(r => r.Id).ToList();
        var reports = await db.DeliveryReports
            .Where(r => ids.Contains(r.DeliveryId) && r.ProviderText != null && r.ProviderText.Contains("@"))
            .ToListAsync(cancellationToken);
        foreach (var report in reports)
        {
            report.ProviderText = Erased;
        }

        return rows.Count;
    }

    public async Task<int> AnonymiseAsync(IReadOnlyCollection<long> noticeIds, string removedText, CancellationToken cancellationToken)
    {
        var changed = await db.LetterDeliveries
            .Where(d => noticeIds.Contains(d.NoticeId) && d.Recipient != removedText)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Recipient, removedText)
                    .SetProperty(d => d.OutcomeText, d => d.OutcomeText != null && d.OutcomeText.Contains("@") ? removedText : d.OutcomeText),
                cancellationToken);
        await db.DeliveryReports
            .Where(r => noticeIds.Contains(r.NoticeId) && r.ProviderText != null && r.ProviderText.Contains("@"))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ProviderText, removedText), cancellationToken);
        return changed;
    }
}
