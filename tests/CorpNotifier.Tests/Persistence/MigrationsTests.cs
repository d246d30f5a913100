using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Persistence;

/// <summary>Every model change has its migration, for both providers (docs/adr/0004).</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void The_postgres_migrations_capture_the_whole_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("run: dotnet ef migrations add <Name> --project src/CorpNotifier --context PostgresNoticesDbContext --output-dir Persistence/Migrations/Postgres");
    }

    [Fact]
    public void The_sqlite_migrations_capture_the_whole_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("run: dotnet ef migrations add <Name> --project src/CorpNotifier --context SqliteNoticesDbContext --output-dir Persistence/Migrations/Sqlite");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[15..]);
        Names(postgres).ShouldBe(Names(sqlite));
    }
}
