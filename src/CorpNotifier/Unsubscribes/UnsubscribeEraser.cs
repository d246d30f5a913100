using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Unsubscribes;

/// <summary>
/// A client's erasure deletes the unsubscribes of its addresses and those recorded for it: nothing
/// of the address is kept, so an erased client who comes back starts subscribed (and can unsubscribe
/// again from the next optional letter).
/// </summary>
public sealed class UnsubscribeEraser(NoticesDbContext db) : IClientDataEraser
{
    public string Name => "unsubscribes";

    public async Task<int> EraseAsync(ClientErasure erasure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var addresses = erasure.Addresses.Select(Preferences.Normalize).Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.Unsubscribes
            .Where(u => u.ClientId == erasure.ClientId || addresses.Contains(u.Address))
            .ToListAsync(cancellationToken);
        db.Unsubscribes.RemoveRange(rows);
        return rows.Count;
    }
}
