using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Admin;

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class AuditTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>Operators' and admins' actions (table <c>audit_log</c>).</summary>
        public DbSet<AuditRecord> Audit => db.Set<AuditRecord>();
    }
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(128);
        builder.Property(a => a.Role).HasMaxLength(16);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(32);
        builder.Property(a => a.TargetId).HasMaxLength(128);
        builder.Property(a => a.Before).IsJson();
        builder.Property(a => a.After).IsJson();
        builder.HasIndex(a => new { a.Actor, a.Id });
        builder.HasIndex(a => new { a.TargetType, a.TargetId });
    }
}
