using CorpNotifier.Dispatch;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Suppressions;

/// <summary>
/// The send path's question to the suppression list: which of a letter's recipients are on it.
/// One query by the recipients' hashes (an erased entry still matches), each blocked recipient with
/// <see cref="ReasonCodes.Suppressed"/> and why ("hard bounce on letter 123: 550 5.1.1 user unknown");
/// a batch of letters asks one query for all of them.
/// </summary>
public sealed class SuppressionFilter(NoticesDbContext db, AddressHasher hasher) : IRecipientFilter
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
        var byHash = letters
            .SelectMany(l => l.Recipients.Select(r => (l.Letter.NoticeId, Recipient: r, Hash: hasher.Hash(r))))
            .ToList();
        if (byHash.Count == 0)
        {
            return new Dictionary<long, IReadOnlyList<BlockedRecipient>>();
        }

        var hashes = byHash.Select(r => r.Hash).Distinct(StringComparer.Ordinal).ToList();
        var entries = await db.Suppressions.AsNoTracking()
            .Where(s => hashes.Contains(s.AddressHash))
            .ToDictionaryAsync(s => s.AddressHash, StringComparer.Ordinal, cancellationToken);
        return byHash
            .Where(r => entries.ContainsKey(r.Hash))
            .GroupBy(r => r.NoticeId)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<BlockedRecipient>)[.. g.Select(r => new BlockedRecipient(r.Recipient, ReasonCodes.Suppressed, SuppressionWords.Why(entries[r.Hash])))]);
    }
}
