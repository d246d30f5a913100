using CorpNotifier.Persistence;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Unsubscribes;

/// <summary>An address unsubscribed from an optional category (table <c>unsubscribes</c>); none means subscribed.</summary>
public sealed class Unsubscribe
{
    public long Id { get; set; }

    /// <summary>The address, trimmed and lower-case (<see cref="Preferences.Normalize"/>).</summary>
    public required string Address { get; set; }

    /// <summary>An optional category's name (<c>onboarding</c>, <c>reminders</c>, <c>trial_follow_ups</c>).</summary>
    public required string Category { get; set; }

    public DateTimeOffset UnsubscribedAt { get; set; }

    /// <summary>One of <see cref="UnsubscribeVia"/>.</summary>
    public required string Via { get; set; }

    /// <summary>The client whose letter carried the link (or the operator named), when known.</summary>
    public string? ClientId { get; set; }

    /// <summary>The letter whose link was used.</summary>
    public long? NoticeId { get; set; }

    /// <summary>The kind of that letter.</summary>
    public string? Kind { get; set; }

    /// <summary>The operator who set it (<see cref="UnsubscribeVia.Operator"/>).</summary>
    public string? Actor { get; set; }
}

/// <summary>How an unsubscribe came about.</summary>
public static class UnsubscribeVia
{
    /// <summary>The mail client's one-click POST (RFC 8058).</summary>
    public const string OneClick = "one_click";

    /// <summary>The button on the link's page.</summary>
    public const string Page = "page";

    /// <summary>An operator, in the admin API or the console.</summary>
    public const string Operator = "operator";
}

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class UnsubscribeTables
{
    public const string Table = "unsubscribes";

    extension(NoticesDbContext db)
    {
        /// <summary>Addresses unsubscribed from optional categories (table <c>unsubscribes</c>).</summary>
        public DbSet<Unsubscribe> Unsubscribes => db.Set<Unsubscribe>();
    }
}

internal sealed class UnsubscribeConfiguration : IEntityTypeConfiguration<Unsubscribe>
{
    public void Configure(EntityTypeBuilder<Unsubscribe> builder)
    {
        builder.ToTable(UnsubscribeTables.Table);
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Address).HasMaxLength(320);
        builder.Property(u => u.Category).HasMaxLength(32);
        builder.Property(u => u.Via).HasMaxLength(16);
        builder.Property(u => u.ClientId).HasMaxLength(128);
        builder.Property(u => u.Kind).HasMaxLength(128);
        builder.Property(u => u.Actor).HasMaxLength(200);
        builder.HasIndex(u => new { u.Address, u.Category }).IsUnique();
        builder.HasIndex(u => u.ClientId);
    }
}

/// <summary>The Data Protection key ring (<see cref="NoticesDbContext.DataProtectionKeys"/>): one row per key, as XML.</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
