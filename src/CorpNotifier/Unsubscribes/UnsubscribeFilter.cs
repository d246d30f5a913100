using CorpNotifier.Dispatch;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Unsubscribes;

/// <summary>
/// Keeps an optional letter from the addresses unsubscribed from its category (<c>unsubscribed</c>);
/// a mandatory letter (money, access, contract, requests) is never stopped by an unsubscribe.
/// </summary>
public sealed class UnsubscribeFilter(NoticeCatalog catalog, NoticesDbContext db) : IRecipientFilter
{
    public async Task<IReadOnlyList<BlockedRecipient>> BlockedAsync(RecipientCheck letter, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0 || catalog.Find(letter.Kind)?.Category is not { Mandatory: false } category)
        {
            return [];
        }

        var addresses = recipients.Select(Preferences.Normalize).Distinct(StringComparer.Ordinal).ToList();
        var unsubscribed = (await db.Unsubscribes.AsNoTracking()
            .Where(u => u.Category == category.Name && addresses.Contains(u.Address))
            .Select(u => u.Address)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return [.. recipients
            .Where(r => unsubscribed.Contains(Preferences.Normalize(r)))
            .Select(r => new BlockedRecipient(r, ReasonCodes.Unsubscribed, $"unsubscribed from {category.Name}"))];
    }
}
