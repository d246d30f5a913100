using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Suppressions;

/// <summary>
/// A client's erasure on the suppression list: the client's entries (by client id or by any of the
/// client's addresses) lose the address and the note and keep the hash, the reason, the letter and
/// the moment — so the address stays blocked. Soft-bounce counts hold hashes only and are left.
/// </summary>
public sealed class SuppressionEraser(NoticesDbContext db, AddressHasher hasher) : IClientDataEraser
{
    public string Name => "suppressions";

    public async Task<int> EraseAsync(ClientErasure erasure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var hashes = erasure.Addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(hasher.Hash).Distinct(StringComparer.Ordinal).ToList();
        var entries = await db.Suppressions
            .Where(s => s.ErasedAt == null && (s.ClientId == erasure.ClientId || hashes.Contains(s.AddressHash)))
            .ToListAsync(cancellationToken);
        foreach (var entry in entries)
        {
            entry.Address = null;
            entry.Note = null;
            entry.ErasedAt = erasure.At;
        }

        return entries.Count;
    }
}
