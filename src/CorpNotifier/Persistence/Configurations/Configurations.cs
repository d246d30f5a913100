using CorpNotifier.Clients;
using CorpNotifier.Intake;
using CorpNotifier.Notices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Persistence.Configurations;

internal sealed class EventRecordConfiguration(string? jsonType) : IEntityTypeConfiguration<EventRecord>
{
    public void Configure(EntityTypeBuilder<EventRecord> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasMaxLength(128);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.ClientId).HasMaxLength(128);
        builder.Property(e => e.Payload).HasColumnType(jsonType);
        builder.Property(e => e.Outcome).HasMaxLength(1000);
        builder.HasIndex(e => new { e.ClientId, e.ReceivedAt });
    }
}

internal sealed class NoticeConfiguration(string? jsonType) : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.ToTable("notices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.EventId).HasMaxLength(128);
        builder.Property(n => n.ClientId).HasMaxLength(128);
        builder.Property(n => n.ContractId).HasMaxLength(128);
        builder.Property(n => n.Kind).HasMaxLength(100);
        builder.Property(n => n.Status).HasConversion(StoredEnum.Of<NoticeStatus>()).HasMaxLength(16);
        builder.Property(n => n.Origin).HasConversion(StoredEnum.Of<NoticeOrigin>()).HasMaxLength(16);
        builder.Property(n => n.ReasonCode).HasMaxLength(64);
        builder.Property(n => n.Reason).HasMaxLength(2000);
        builder.Property(n => n.Args).HasColumnType(jsonType);
        builder.Property(n => n.SentTo).HasColumnType(jsonType);
        builder.Property(n => n.SentSlug).HasMaxLength(200);
        builder.Property(n => n.ProviderMessageId).HasMaxLength(200);
        builder.Property(n => n.DequeuedByEventId).HasMaxLength(128);
        builder.Property(n => n.DequeuedBy).HasMaxLength(128);
        builder.Property(n => n.UniqueKey).HasMaxLength(300);
        // Only the holder of the claim may record the outcome.
        builder.Property(n => n.LeaseToken).IsConcurrencyToken();

        builder.HasOne<EventRecord>().WithMany().HasForeignKey(n => n.EventId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Notice>().WithMany().HasForeignKey(n => n.ResendOfId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(n => n.Timeline).WithOne().HasForeignKey(t => t.NoticeId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(n => new { n.ClientId, n.Id });
        builder.HasIndex(n => n.SentAt);
        builder.HasIndex(n => new { n.ContractId, n.Kind });
        // The claim query reads due pending letters only: a partial index keeps it O(batch)
        // however large the history grows.
        builder.HasIndex(n => n.SendAt).HasFilter("status = 'pending'").HasDatabaseName("ix_notices_pending_send_at");
        // Lease recovery reads claimed letters only.
        builder.HasIndex(n => n.LeaseUntil).HasFilter("status = 'sending'").HasDatabaseName("ix_notices_sending_lease_until");
        // An event creates at most one letter of a kind, however often it is redelivered.
        builder.HasIndex(n => new { n.EventId, n.Kind }).IsUnique().HasFilter("event_id IS NOT NULL");
        builder.HasIndex(n => n.UniqueKey).IsUnique().HasFilter("unique_key IS NOT NULL");
        // One re-send of a letter under way at a time: two operators clicking at once get one.
        builder.HasIndex(n => n.ResendOfId).IsUnique().HasFilter("resend_of_id IS NOT NULL AND status IN ('pending', 'sending')")
            .HasDatabaseName("ix_notices_one_active_resend");
        // Keyset pagination of the history, newest first, by kind or status.
        builder.HasIndex(n => new { n.Kind, n.Id });
        builder.HasIndex(n => new { n.Status, n.Id });
    }
}

internal sealed class NoticeTimelineEntryConfiguration : IEntityTypeConfiguration<NoticeTimelineEntry>
{
    public void Configure(EntityTypeBuilder<NoticeTimelineEntry> builder)
    {
        builder.ToTable("notice_timeline");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Type).HasConversion(StoredEnum.Of<TimelineEntryType>()).HasMaxLength(32);
        builder.Property(t => t.Detail).HasMaxLength(2000);
        builder.Property(t => t.Actor).HasMaxLength(128);
        builder.HasIndex(t => new { t.NoticeId, t.Id });
    }
}

internal sealed class ClientRecordConfiguration(string? jsonType) : IEntityTypeConfiguration<ClientRecord>
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
        builder.Property(c => c.Emails).HasColumnType(jsonType);
    }
}

internal sealed class ContractRecordConfiguration(string? jsonType) : IEntityTypeConfiguration<ContractRecord>
{
    public void Configure(EntityTypeBuilder<ContractRecord> builder)
    {
        builder.ToTable("contracts");
        builder.HasKey(c => c.ContractId);
        builder.Property(c => c.ContractId).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(128);
        builder.Property(c => c.ExternalId).HasMaxLength(128);
        builder.Property(c => c.State).HasColumnType(jsonType);
        builder.Property(c => c.Balance).HasPrecision(19, 4);
        builder.HasIndex(c => c.ClientId);
    }
}

internal sealed class NoticeSettingsRecordConfiguration(string? jsonType) : IEntityTypeConfiguration<NoticeSettingsRecord>
{
    public void Configure(EntityTypeBuilder<NoticeSettingsRecord> builder)
    {
        builder.ToTable("notice_settings");
        builder.HasKey(s => s.Kind);
        builder.Property(s => s.Kind).HasMaxLength(100);
        builder.Property(s => s.Mode).HasConversion(StoredEnum.Of<NoticeMode>()).HasMaxLength(16);
        builder.Property(s => s.Slugs).HasColumnType(jsonType);
        builder.Property(s => s.ExtraRecipients).HasColumnType(jsonType);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Property(s => s.Source).HasMaxLength(32);
        builder.Property(s => s.UpdatedBy).HasMaxLength(128);
    }
}

internal sealed class NoticeSettingsHistoryRecordConfiguration(string? jsonType) : IEntityTypeConfiguration<NoticeSettingsHistoryRecord>
{
    public void Configure(EntityTypeBuilder<NoticeSettingsHistoryRecord> builder)
    {
        builder.ToTable("notice_settings_history");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Kind).HasMaxLength(100);
        builder.Property(h => h.Settings).HasColumnType(jsonType);
        builder.Property(h => h.ChangedBy).HasMaxLength(128);
        builder.HasIndex(h => new { h.Kind, h.Version }).IsUnique();
    }
}

internal sealed class AuditRecordConfiguration(string? jsonType) : IEntityTypeConfiguration<Admin.AuditRecord>
{
    public void Configure(EntityTypeBuilder<Admin.AuditRecord> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(128);
        builder.Property(a => a.Role).HasMaxLength(16);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(32);
        builder.Property(a => a.TargetId).HasMaxLength(128);
        builder.Property(a => a.Before).HasColumnType(jsonType);
        builder.Property(a => a.After).HasColumnType(jsonType);
        builder.HasIndex(a => new { a.Actor, a.Id });
        builder.HasIndex(a => new { a.TargetType, a.TargetId });
    }
}

internal sealed class DequeueMarkConfiguration : IEntityTypeConfiguration<DequeueMark>
{
    public void Configure(EntityTypeBuilder<DequeueMark> builder)
    {
        builder.ToTable("dequeue_marks");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.ClientId).HasMaxLength(128);
        builder.Property(m => m.ContractId).HasMaxLength(128);
        builder.Property(m => m.Kind).HasMaxLength(100);
        builder.Property(m => m.EventId).HasMaxLength(128);
        builder.HasIndex(m => new { m.ClientId, m.Kind, m.OccurredAt });
    }
}

/// <summary>Enums are stored as their wire names (<c>pending</c>, <c>attempt_failed</c>), readable in SQL and in the claim query.</summary>
internal static class StoredEnum
{
    public static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T, string> Of<T>()
        where T : struct, Enum =>
        new(value => Hosting.WireName.Of(value), stored => Hosting.WireName.Parse<T>(stored));
}
