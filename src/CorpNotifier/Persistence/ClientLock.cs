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
            var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"client:{clientId}")), 0);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
    }
}
