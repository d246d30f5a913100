using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Dispatch;

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class InstanceTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>The instances and their heartbeats (table <c>instances</c>).</summary>
        public DbSet<InstanceRecord> Instances => db.Set<InstanceRecord>();
    }
}

internal sealed class InstanceRecordConfiguration : IEntityTypeConfiguration<InstanceRecord>
{
    public void Configure(EntityTypeBuilder<InstanceRecord> builder)
    {
        builder.ToTable("instances");
        builder.HasKey(i => i.Name);
        builder.Property(i => i.Name).HasMaxLength(128);
        // A heartbeat renews the row only while it still names this process.
        builder.Property(i => i.Incarnation).IsConcurrencyToken();
    }
}
