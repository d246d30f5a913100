using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CorpNotifier.Persistence;

/// <summary>Used by <c>dotnet ef migrations add</c> only; no database is opened.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNoticesDbContext>
{
    public PostgresNoticesDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresNoticesDbContext>()
            .UseNpgsql("Host=localhost;Database=corp_notifier", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options);
}

/// <summary>Used by <c>dotnet ef migrations add</c> only; no database is opened.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNoticesDbContext>
{
    public SqliteNoticesDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqliteNoticesDbContext>()
            .UseSqlite("Data Source=design-time.db", sqlite => sqlite.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options);
}
