using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Persistence;

/// <summary>
/// Serialises the transactions of one client: a PostgreSQL transaction-scoped advisory lock keyed
/// by the client id, released at commit or rollback. SQLite serialises every writer already.
/// </summary>
public static class ClientLock
{
    public static async Task AcquireAsync(NoticesDbContext db, string clientId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await LockAsync(db, $"client:{clientId}", cancellationToken);
        }
    }

    /// <summary>
    /// The locks of several clients (a batch of events), in one round trip and in one order (sorted by
    /// key), so that two transactions locking some of the same clients do not wait for each other in
    /// a circle.
    /// </summary>
    public static async Task AcquireAllAsync(NoticesDbContext db, IEnumerable<string> clientIds, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        var keys = clientIds.Select(id => Key($"client:{id}")).Distinct().Order().ToArray();
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(k) FROM unnest({keys}) AS k", cancellationToken);
    }

    /// <summary>
    /// Serialises the transactions that count letters to these addresses against a per-recipient cap,
    /// whichever clients they belong to (two clients may share an address, and their events hold two
    /// different client locks). Taken in one order (case-insensitive, sorted) so that two transactions
    /// locking the same addresses do not wait for each other in a circle.
    /// </summary>
    public static async Task AcquireRecipientsAsync(NoticesDbContext db, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        foreach (var address in addresses.Select(a => a.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal))
        {
            await LockAsync(db, $"recipient:{address}", cancellationToken);
        }
    }

    private static async Task LockAsync(NoticesDbContext db, string name, CancellationToken cancellationToken)
    {
        var key = Key(name);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
    }

    private static long Key(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);
}
