using System.Text.Json.Nodes;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Notices;

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class NoticeTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>The notices (table <c>notices</c>).</summary>
        public DbSet<Notice> Notices => db.Set<Notice>();

        /// <summary>Every step of every notice (table <c>notice_timeline</c>).</summary>
        public DbSet<NoticeTimelineEntry> Timeline => db.Set<NoticeTimelineEntry>();

        /// <summary>Settings per notice kind (table <c>notice_settings</c>).</summary>
        public DbSet<NoticeSettingsRecord> NoticeSettings => db.Set<NoticeSettingsRecord>();

        /// <summary>Every past version of the settings (table <c>notice_settings_history</c>).</summary>
        public DbSet<NoticeSettingsHistoryRecord> NoticeSettingsHistory => db.Set<NoticeSettingsHistoryRecord>();

        /// <summary>Every dequeue an event made (table <c>dequeue_marks</c>).</summary>
        public DbSet<DequeueMark> DequeueMarks => db.Set<DequeueMark>();
    }
}

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public const string Table = "notices";

    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(n => n.Id);
        builder.Property(n => n.EventId).HasMaxLength(128);
        builder.Property(n => n.ClientId).HasMaxLength(128);
        builder.Property(n => n.ContractId).HasMaxLength(128);
        builder.Property(n => n.Country).HasMaxLength(8);
        builder.Property(n => n.Kind).HasMaxLength(100);
        builder.Property(n => n.Status).HasConversion(StoredEnum.Of<NoticeStatus>()).HasMaxLength(16);
        builder.Property(n => n.Origin).HasConversion(StoredEnum.Of<NoticeOrigin>()).HasMaxLength(16);
        builder.Property(n => n.ReasonCode).HasMaxLength(64);
        builder.Property(n => n.Reason).HasMaxLength(2000);
        // Arguments keep their JSON types (a manual send may give numbers and booleans), so they
        // are one JSON object rather than name/value pairs of one type. A JsonObject is mutable:
        // the comparer snapshots a deep copy and compares by content.
        builder.Property(n => n.Args)
            .HasConversion(
                args => args.ToJsonString(AppJson.Options),
                json => JsonNode.Parse(json, null, default)!.AsObject(),
                new ValueComparer<JsonObject>(
                    (a, b) => JsonNode.DeepEquals(a, b),
                    args => args.ToJsonString(AppJson.Options).GetHashCode(StringComparison.Ordinal),
                    args => args.DeepClone().AsObject()))
            .IsJson();
        builder.Property(n => n.SentSlug).HasMaxLength(200);
        builder.Property(n => n.ProviderMessageId).HasMaxLength(200);
        builder.Property(n => n.DequeuedByEventId).HasMaxLength(128);
        builder.Property(n => n.DequeuedBy).HasMaxLength(128);
        builder.Property(n => n.UniqueKey).HasMaxLength(300);
        // Only the holder of the claim may record the outcome.
        builder.Property(n => n.LeaseToken).IsConcurrencyToken();

        builder.HasOne<Notice>().WithMany().HasForeignKey(n => n.ResendOfId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(n => n.Timeline).WithOne().HasForeignKey(t => t.NoticeId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(n => new { n.ClientId, n.Id });
        builder.HasIndex(n => n.SentAt);
        builder.HasIndex(n => new { n.ContractId, n.Kind });
        // The claim query reads due pending letters only: a partial index keeps it O(batch)
        // however large the history grows. The id makes each entry unique: letters due at one moment
        // are not merged into one entry, so an entry whose letter was claimed is marked dead on its
        // own, and the next sweep skips it instead of reading every letter taken since the moment.
        builder.HasIndex(n => new { n.SendAt, n.Id }).HasFilter("status = 'pending'").HasDatabaseName("ix_notices_pending_send_at");
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
        // The console's search by address: who a letter is (or was to be) sent to.
        builder.HasIndex(n => n.Recipients).IsArrayIndex();
        builder.HasIndex(n => n.SentTo).IsArrayIndex();
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

internal sealed class NoticeSettingsRecordConfiguration : IEntityTypeConfiguration<NoticeSettingsRecord>
{
    public void Configure(EntityTypeBuilder<NoticeSettingsRecord> builder)
    {
        builder.ToTable("notice_settings");
        builder.HasKey(s => s.Kind);
        builder.Property(s => s.Kind).HasMaxLength(100);
        builder.Property(s => s.Mode).HasConversion(StoredEnum.Of<NoticeMode>()).HasMaxLength(16);
        builder.ComplexCollection(s => s.Slugs, slugs => slugs.ToJson());
        builder.ComplexCollection(s => s.ExtraRecipients, recipients => recipients.ToJson());
        builder.Property(s => s.WindowDays).HasConversion(StoredEnum.Of<WindowDays>()).HasMaxLength(16);
        builder.Property(s => s.CapPer).HasConversion(StoredEnum.Of<CapKey>()).HasMaxLength(16);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Property(s => s.Source).HasMaxLength(32);
        builder.Property(s => s.UpdatedBy).HasMaxLength(128);
    }
}

internal sealed class NoticeSettingsHistoryRecordConfiguration : IEntityTypeConfiguration<NoticeSettingsHistoryRecord>
{
    public void Configure(EntityTypeBuilder<NoticeSettingsHistoryRecord> builder)
    {
        builder.ToTable("notice_settings_history");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Kind).HasMaxLength(100);
        builder.Property(h => h.Settings).IsJson();
        builder.Property(h => h.ChangedBy).HasMaxLength(128);
        builder.HasIndex(h => new { h.Kind, h.Version }).IsUnique();
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
