using CorpNotifier.Dispatch;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Suppressions;

/// <summary>
/// The send path's question to the suppression list: which of a letter's recipients are on it.
/// One query by the recipients' hashes (an erased entry still matches), each blocked recipient with
/// <see cref="ReasonCodes.Suppressed"/> and why ("hard bounce on letter 123: 550 5.1.1 user unknown").
/// </summary>
public sealed class SuppressionFilter(NoticesDbContext db, AddressHasher hasher) : IRecipientFilter
{
    public async Task<IReadOnlyList<BlockedRecipient>> BlockedAsync(RecipientCheck letter, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            return [];
        }

        var byHash = recipients.Select(r => (Recipient: r, Hash: hasher.Hash(r))).ToList();
        var hashes = byHash.Select(r => r.Hash).Distinct(StringComparer.Ordinal).ToList();
        var entries = await db.Suppressions.AsNoTracking()
            .Where(s => hashes.Contains(s.AddressHash))
            .ToDictionaryAsync(s => s.AddressHash, StringComparer.Ordinal, cancellationToken);
        if (entries.Count == 0)
        {
            return [];
        }

        return [.. byHash
            .Where(r => entries.ContainsKey(r.Hash))
            .Select(r => new BlockedRecipient(r.Recipient, ReasonCodes.Suppressed, SuppressionWords.Why(entries[r.Hash])))];
    }
}
