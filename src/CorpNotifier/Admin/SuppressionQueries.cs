using CorpNotifier.Clients;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Suppressions;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>The list as operators read it, and the clients it leaves with no address to write to.</summary>
public sealed class SuppressionQueries(NoticesDbContext db, AddressHasher hasher)
{
    public const int DefaultLimit = 100;

    /// <summary>How many clients with suppressions the attention page looks at, at most.</summary>
    public const int MaxCandidates = 1000;

    public async Task<Checked<SuppressionPage>> PageAsync(SuppressionQuery filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Limit is < 1 or > NoticeQueries.MaxLimit)
        {
            return Checked<SuppressionPage>.Invalid("limit", $"must be between 1 and {NoticeQueries.MaxLimit}");
        }

        if (filter.Reason is { } reason && !SuppressionReasons.All.Contains(reason))
        {
            return Checked<SuppressionPage>.Invalid("reason", $"must be one of {string.Join(", ", SuppressionReasons.All)}");
        }

        var take = filter.Limit ?? DefaultLimit;
        var query = db.Suppressions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Address))
        {
            var hash = hasher.Hash(filter.Address);
            query = query.Where(s => s.AddressHash == hash);
        }

        query = string.IsNullOrWhiteSpace(filter.ClientId) ? query : query.Where(s => s.ClientId == filter.ClientId);
        query = filter.Reason is null ? query : query.Where(s => s.Reason == filter.Reason);
        query = filter.BeforeId is null ? query : query.Where(s => s.Id < filter.BeforeId);
        var rows = await query.OrderByDescending(s => s.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = rows.Take(take).Select(SuppressionView.From).ToList();
        return Checked<SuppressionPage>.Valid(new SuppressionPage(items, rows.Count > take ? items[^1].Id : null));
    }

    public async Task<SuppressionView?> FindAsync(long id, CancellationToken cancellationToken) =>
        await db.Suppressions.AsNoTracking().Where(s => s.Id == id).FirstOrDefaultAsync(cancellationToken) is { } entry ? SuppressionView.From(entry) : null;

    /// <summary>
    /// Clients of the local directory every one of whose addresses is suppressed, latest first. Cheap
    /// by construction: only clients with an entry recorded under their id (a bounce or complaint
    /// always carries its letter's client) and clients holding the address of one of the latest
    /// entries an operator added without a client are looked at — four queries whatever the list's size.
    /// </summary>
    public async Task<IReadOnlyList<UnreachableClientView>> UnreachableClientsAsync(int limit, CancellationToken cancellationToken)
    {
        var candidates = await db.Suppressions.AsNoTracking()
            .Where(s => s.ClientId != null && s.ErasedAt == null)
            .GroupBy(s => s.ClientId!)
            .Select(g => new { ClientId = g.Key, Last = g.Max(s => s.Id) })
            .OrderByDescending(c => c.Last)
            .Take(MaxCandidates)
            .ToListAsync(cancellationToken);

        // Entries without a client (an operator's, for an address): their clients are found by address.
        var loose = await db.Suppressions.AsNoTracking()
            .Where(s => s.ClientId == null && s.Address != null && s.ErasedAt == null)
            .OrderByDescending(s => s.Id)
            .Select(s => new { Address = s.Address!, s.Id })
            .Take(MaxCandidates)
            .ToListAsync(cancellationToken);
        if (loose.Count > 0)
        {
            var looseAddresses = loose.Select(l => l.Address).ToList();
            var holders = await db.Clients.AsNoTracking()
                .Where(c => c.Emails.Any(e => looseAddresses.Contains(e.ToLower())))
                .Select(c => new { c.ClientId, c.Emails })
                .Take(MaxCandidates)
                .ToListAsync(cancellationToken);
            var lastOf = loose.GroupBy(l => l.Address, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(l => l.Id), StringComparer.Ordinal);
            candidates = [.. candidates
                .Concat(holders.Select(h => new
                {
                    h.ClientId,
                    Last = h.Emails.Select(e => lastOf.GetValueOrDefault(AddressHasher.Normalise(e), 0L)).Max(),
                }))
                .GroupBy(c => c.ClientId, StringComparer.Ordinal)
                .Select(g => new { ClientId = g.Key, Last = g.Max(c => c.Last) })
                .OrderByDescending(c => c.Last)
                .Take(MaxCandidates)];
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        var ids = candidates.Select(c => c.ClientId).ToList();
        var clients = await db.Clients.AsNoTracking()
            .Where(c => ids.Contains(c.ClientId))
            .Select(c => new { c.ClientId, c.Name, c.Emails })
            .ToListAsync(cancellationToken);
        var addresses = clients.ToDictionary(
            c => c.ClientId,
            c => c.Emails.Where(EmailAddress.IsValid).Select(hasher.Hash).Distinct(StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
        var hashes = addresses.Values.SelectMany(h => h).Distinct(StringComparer.Ordinal).ToList();
        var suppressed = (await db.Suppressions.AsNoTracking()
                .Where(s => hashes.Contains(s.AddressHash))
                .Select(s => new { s.AddressHash, s.CreatedAt })
                .ToListAsync(cancellationToken))
            .ToDictionary(s => s.AddressHash, s => s.CreatedAt, StringComparer.Ordinal);

        var names = clients.ToDictionary(c => c.ClientId, c => c.Name, StringComparer.Ordinal);
        return [.. candidates
            .Where(c => addresses.TryGetValue(c.ClientId, out var own) && own.Count > 0 && own.All(suppressed.ContainsKey))
            .Select(c => new UnreachableClientView(c.ClientId, names[c.ClientId], addresses[c.ClientId].Count, addresses[c.ClientId].Max(h => suppressed[h])))
            .Take(limit)];
    }
}
