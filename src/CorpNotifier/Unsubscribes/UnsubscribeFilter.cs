using CorpNotifier.Dispatch;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Unsubscribes;

/// <summary>
/// Keeps an optional letter from the addresses unsubscribed from its category (<c>unsubscribed</c>);
/// a mandatory letter (money, access, contract, requests) is never stopped by an unsubscribe. A batch
/// of letters asks one query for all of them.
/// </summary>
public sealed class UnsubscribeFilter(NoticeCatalog catalog, NoticesDbContext db) : IRecipientFilter
{
    public async Task<IReadOnlyList<BlockedRecipient>> BlockedAsync(RecipientCheck letter, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(recipients);
        var blocked = await BlockedManyAsync([new RecipientQuestion(letter, recipients)], cancellationToken);
        return blocked.TryGetValue(letter.NoticeId, out var these) ? these : [];
    }

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<BlockedRecipient>>> BlockedManyAsync(IReadOnlyList<RecipientQuestion> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var optional = letters
            .Select(l => (Question: l, Category: catalog.Find(l.Letter.Kind)?.Category))
            .Where(l => l.Category is { Mandatory: false } && l.Question.Recipients.Count > 0)
            .Select(l => (l.Question, Category: l.Category!.Name))
            .ToList();
        if (optional.Count == 0)
        {
            return new Dictionary<long, IReadOnlyList<BlockedRecipient>>();
        }

        var categories = optional.Select(l => l.Category).Distinct(StringComparer.Ordinal).ToList();
        var addresses = optional.SelectMany(l => l.Question.Recipients).Select(Preferences.Normalize).Distinct(StringComparer.Ordinal).ToList();
        var unsubscribed = (await db.Unsubscribes.AsNoTracking()
            .Where(u => categories.Contains(u.Category) && addresses.Contains(u.Address))
            .Select(u => new { u.Category, u.Address })
            .ToListAsync(cancellationToken))
            .Select(u => (u.Category, u.Address))
            .ToHashSet();
        return optional.ToDictionary(
            l => l.Question.Letter.NoticeId,
            l => (IReadOnlyList<BlockedRecipient>)[.. l.Question.Recipients
                .Where(r => unsubscribed.Contains((l.Category, Preferences.Normalize(r))))
                .Select(r => new BlockedRecipient(r, ReasonCodes.Unsubscribed, $"unsubscribed from {l.Category}"))]);
    }
}
