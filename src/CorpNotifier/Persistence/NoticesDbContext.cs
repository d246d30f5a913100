using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Persistence;

/// <summary>
/// The service's state. Two providers share this model, each with its own migrations:
/// <see cref="PostgresNoticesDbContext"/> (production) and <see cref="SqliteNoticesDbContext"/> (embedded default).
/// Add a migration to both:
/// <code>
/// dotnet ef migrations add Name --project src/CorpNotifier --context PostgresNoticesDbContext --output-dir Persistence/Migrations/Postgres
/// dotnet ef migrations add Name --project src/CorpNotifier --context SqliteNoticesDbContext --output-dir Persistence/Migrations/Sqlite
/// </code>
/// </summary>
public abstract class NoticesDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring, shared by every instance (table <c>data_protection_keys</c>, configured in <c>Unsubscribes/</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The SQL type of JSON columns: <c>jsonb</c> on PostgreSQL, text elsewhere.</summary>
    protected internal abstract string? JsonColumnType { get; }

    /// <summary>The index method for array indexes: <c>gin</c> on PostgreSQL; <c>null</c> where there is none (the index is left out).</summary>
    protected internal abstract string? ArrayIndexMethod { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Each feature folder owns its tables: their configurations sit beside their entities
        // (Intake/EventTables.cs, Notices/NoticeTables.cs, Clients/ClientTables.cs,
        // Admin/AuditTables.cs), and so do the accessors (db.Notices, db.Events…).
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NoticesDbContext).Assembly);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.FindAnnotation(JsonColumn.Annotation) is not null).ToList())
        {
            property.SetColumnType(JsonColumnType);
            property.RemoveAnnotation(JsonColumn.Annotation);
        }

        foreach (var index in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()).Where(i => i.FindAnnotation(ArrayIndex.Annotation) is not null).ToList())
        {
            if (ArrayIndexMethod is null)
            {
                index.DeclaringEntityType.RemoveIndex(index);
            }
            else
            {
                index.SetMethod(ArrayIndexMethod);
                // Built without blocking writes: the notices table may hold years of letters when
                // an instance of a new version migrates it.
                index.SetIsCreatedConcurrently(true);
                // Entries go straight into the index: no pending list for a letter's send to
                // stop and merge when it fills up.
                index.SetStorageParameter("fastupdate", false);
                index.RemoveAnnotation(ArrayIndex.Annotation);
            }
        }
    }
}

public sealed class PostgresNoticesDbContext(DbContextOptions<PostgresNoticesDbContext> options) : NoticesDbContext(options)
{
    protected internal override string? JsonColumnType => "jsonb";

    protected internal override string? ArrayIndexMethod => "gin";

    /// <summary>Saves the unit of work; the timeline steps and deliveries it adds go in one statement per table (<see cref="AppendedRows"/>).</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        AppendedRows.SaveAsync(this, acceptAllChangesOnSuccess, (accept, ct) => base.SaveChangesAsync(accept, ct), cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
}

public sealed class SqliteNoticesDbContext(DbContextOptions<SqliteNoticesDbContext> options) : NoticesDbContext(options)
{
    protected internal override string? JsonColumnType => null;

    protected internal override string? ArrayIndexMethod => null;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type; UTC ticks keep comparisons and ordering in SQL exact.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<string>();
    }
}
