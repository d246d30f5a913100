using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Intake;

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class EventTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>Received events (table <c>events</c>), by event id.</summary>
        public DbSet<EventRecord> Events => db.Set<EventRecord>();
    }
}

internal sealed class EventRecordConfiguration : IEntityTypeConfiguration<EventRecord>
{
    public const string Table = "events";

    public void Configure(EntityTypeBuilder<EventRecord> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasMaxLength(128);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.ClientId).HasMaxLength(128);
        builder.Property(e => e.Payload).IsJson();
        builder.Property(e => e.Outcome).HasMaxLength(1000);
        builder.Property(e => e.Status).HasConversion(StoredEnum.Of<EventStatus>()).HasMaxLength(16);
        builder.Property(e => e.Missing).HasConversion(StoredEnum.Of<MissingData>()).HasMaxLength(16);
        builder.Property(e => e.MissingId).HasMaxLength(128);
        builder.Property(e => e.ParkedPayload).IsJson();
        builder.HasIndex(e => new { e.ClientId, e.ReceivedAt });

        // Parked events are few: the index holds them only (a client's waiting events in their
        // order, the periodic retry's and the expiry's scans, the console's list).
        builder.HasIndex(e => new { e.Status, e.ClientId, e.OccurredAt })
            .HasFilter("status <> 'processed'")
            .HasDatabaseName("ix_events_parked");

        // A letter created by an event refers to it.
        builder.HasMany<Notice>().WithOne().HasForeignKey(n => n.EventId).OnDelete(DeleteBehavior.Restrict);
    }
}
