using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Suppressions;

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class SuppressionTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>The suppression list (table <c>suppressions</c>).</summary>
        public DbSet<SuppressionRecord> Suppressions => db.Set<SuppressionRecord>();

        /// <summary>Soft bounces per address hash, to count them (table <c>suppression_soft_bounces</c>).</summary>
        public DbSet<SoftBounceRecord> SoftBounces => db.Set<SoftBounceRecord>();
    }
}

internal sealed class SuppressionRecordConfiguration : IEntityTypeConfiguration<SuppressionRecord>
{
    public const string Table = "suppressions";

    public void Configure(EntityTypeBuilder<SuppressionRecord> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Address).HasMaxLength(320);
        builder.Property(s => s.AddressHash).HasMaxLength(64);
        builder.Property(s => s.Reason).HasMaxLength(32);
        builder.Property(s => s.Note).HasMaxLength(1000);
        builder.Property(s => s.ClientId).HasMaxLength(128);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);

        // One entry per address: the send path's lookup is by hash, and so is a duplicate's refusal.
        builder.HasIndex(s => s.AddressHash).IsUnique();
        builder.HasIndex(s => s.Address);
        builder.HasIndex(s => s.ClientId);
    }
}

internal sealed class SoftBounceRecordConfiguration : IEntityTypeConfiguration<SoftBounceRecord>
{
    public void Configure(EntityTypeBuilder<SoftBounceRecord> builder)
    {
        builder.ToTable("suppression_soft_bounces");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.AddressHash).HasMaxLength(64);
        builder.HasIndex(s => new { s.AddressHash, s.At });
    }
}
