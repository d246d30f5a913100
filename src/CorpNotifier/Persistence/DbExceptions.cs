using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CorpNotifier.Persistence;

public static class DbExceptions
{
    /// <summary>The write broke a unique constraint: the domain outcome is "already there", never a 500.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>The write broke a unique constraint of <paramref name="table"/> (and not of another table written in the same save).</summary>
    public static bool IsUniqueViolationOn(this DbUpdateException exception, string table) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.TableName == table,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555
            && sqlite.Message.Contains($" {table}.", StringComparison.Ordinal),
        _ => false,
    };
}
