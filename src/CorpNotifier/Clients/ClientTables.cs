using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Clients;

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class ClientTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>The local directory's clients (table <c>clients</c>).</summary>
        public DbSet<ClientRecord> Clients => db.Set<ClientRecord>();

        /// <summary>The local directory's contracts (table <c>contracts</c>).</summary>
        public DbSet<ContractRecord> Contracts => db.Set<ContractRecord>();
    }
}

internal sealed class ClientRecordConfiguration : IEntityTypeConfiguration<ClientRecord>
{
    public void Configure(EntityTypeBuilder<ClientRecord> builder)
    {
        builder.ToTable("clients");
        builder.HasKey(c => c.ClientId);
        builder.Property(c => c.ClientId).HasMaxLength(128);
        builder.Property(c => c.Name).HasMaxLength(500);
        builder.Property(c => c.Country).HasMaxLength(8);
        builder.Property(c => c.Locale).HasMaxLength(16);
        builder.Property(c => c.TimeZone).HasMaxLength(64);
    }
}

internal sealed class ContractRecordConfiguration : IEntityTypeConfiguration<ContractRecord>
{
    public void Configure(EntityTypeBuilder<ContractRecord> builder)
    {
        builder.ToTable("contracts");
        builder.HasKey(c => c.ContractId);
        builder.Property(c => c.ContractId).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(128);
        builder.Property(c => c.ExternalId).HasMaxLength(128);
        builder.ComplexProperty(c => c.State, state => state.ToJson());
        builder.Property(c => c.Balance).HasPrecision(19, 4);
        builder.HasIndex(c => c.ClientId);
    }
}
