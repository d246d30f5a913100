using CorpNotifier.Clients;
using CorpNotifier.Intake;
using CorpNotifier.Notices;
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
public abstract class NoticesDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<EventRecord> Events => Set<EventRecord>();

    public DbSet<Notice> Notices => Set<Notice>();

    public DbSet<NoticeTimelineEntry> Timeline => Set<NoticeTimelineEntry>();

    public DbSet<ClientRecord> Clients => Set<ClientRecord>();

    public DbSet<ContractRecord> Contracts => Set<ContractRecord>();

    public DbSet<NoticeSettingsRecord> NoticeSettings => Set<NoticeSettingsRecord>();

    public DbSet<NoticeSettingsHistoryRecord> NoticeSettingsHistory => Set<NoticeSettingsHistoryRecord>();

    public DbSet<Admin.AuditRecord> Audit => Set<Admin.AuditRecord>();

    public DbSet<DequeueMark> DequeueMarks => Set<DequeueMark>();

    /// <summary>The SQL type of JSON columns: <c>jsonb</c> on PostgreSQL, text elsewhere.</summary>
    protected internal abstract string? JsonColumnType { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new Configurations.EventRecordConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new Configurations.NoticeConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new Configurations.NoticeTimelineEntryConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.ClientRecordConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new Configurations.ContractRecordConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new Configurations.NoticeSettingsRecordConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new Configurations.NoticeSettingsHistoryRecordConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new Configurations.AuditRecordConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new Configurations.DequeueMarkConfiguration());
    }
}

public sealed class PostgresNoticesDbContext(DbContextOptions<PostgresNoticesDbContext> options) : NoticesDbContext(options)
{
    protected internal override string? JsonColumnType => "jsonb";
}

public sealed class SqliteNoticesDbContext(DbContextOptions<SqliteNoticesDbContext> options) : NoticesDbContext(options)
{
    protected internal override string? JsonColumnType => null;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type; UTC ticks keep comparisons and ordering in SQL exact.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<string>();
    }
}
