using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Deliveries;

/// <summary>One delivery report as recorded (table <c>delivery_reports</c>): what makes a repeated report a no-op.</summary>
public sealed class DeliveryReportRecord
{
    public long Id { get; set; }

    public long DeliveryId { get; set; }

    public long NoticeId { get; set; }

    public DeliveryOutcome Outcome { get; set; }

    /// <summary>When the provider says it happened.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The provider's words (addresses masked).</summary>
    public string? ProviderText { get; set; }

    /// <summary><c>webhook</c> or <c>dsn</c>.</summary>
    public required string Source { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>A webhook call taken (table <c>delivery_webhooks</c>), by its <c>webhook-id</c>: a replay is recognised and not applied again.</summary>
public sealed class DeliveryWebhookReceipt
{
    public required string WebhookId { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class DeliveryTables
{
    public const string Reports = "delivery_reports";
    public const string Webhooks = "delivery_webhooks";

    extension(NoticesDbContext db)
    {
        /// <summary>Each recipient's accepted letter and its latest outcome (table <c>letter_deliveries</c>).</summary>
        public DbSet<LetterDelivery> LetterDeliveries => db.Set<LetterDelivery>();

        public DbSet<DeliveryReportRecord> DeliveryReports => db.Set<DeliveryReportRecord>();

        public DbSet<DeliveryWebhookReceipt> DeliveryWebhooks => db.Set<DeliveryWebhookReceipt>();
    }
}

internal sealed class LetterDeliveryConfiguration : IEntityTypeConfiguration<LetterDelivery>
{
    public void Configure(EntityTypeBuilder<LetterDelivery> builder)
    {
        builder.ToTable("letter_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Recipient).HasMaxLength(320);
        builder.Property(d => d.ProviderMessageId).HasMaxLength(200);
        builder.Property(d => d.Outcome).HasMaxLength(16);
        builder.Property(d => d.OutcomeText).HasMaxLength(2000);
        builder.HasOne<Notice>().WithMany().HasForeignKey(d => d.NoticeId).OnDelete(DeleteBehavior.Cascade);
        // A report names the letter by the mailer's id.
        builder.HasIndex(d => d.ProviderMessageId);
        builder.HasIndex(d => new { d.NoticeId, d.Id });
        // The letter list's delivery filter.
        builder.HasIndex(d => new { d.Outcome, d.NoticeId }).HasFilter("outcome IS NOT NULL");
    }
}

internal sealed class DeliveryReportRecordConfiguration : IEntityTypeConfiguration<DeliveryReportRecord>
{
    public void Configure(EntityTypeBuilder<DeliveryReportRecord> builder)
    {
        builder.ToTable(DeliveryTables.Reports);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Outcome).HasConversion(StoredEnum.Of<DeliveryOutcome>()).HasMaxLength(16);
        builder.Property(r => r.ProviderText).HasMaxLength(2000);
        builder.Property(r => r.Source).HasMaxLength(16);
        builder.HasOne<LetterDelivery>().WithMany().HasForeignKey(r => r.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        // The same report twice (a mailer's retry, a notification read twice) is one.
        builder.HasIndex(r => new { r.DeliveryId, r.Outcome, r.At }).IsUnique();
        builder.HasIndex(r => new { r.NoticeId, r.Id });
    }
}

internal sealed class DeliveryWebhookReceiptConfiguration : IEntityTypeConfiguration<DeliveryWebhookReceipt>
{
    public void Configure(EntityTypeBuilder<DeliveryWebhookReceipt> builder)
    {
        builder.ToTable(DeliveryTables.Webhooks);
        builder.HasKey(w => w.WebhookId);
        builder.Property(w => w.WebhookId).HasMaxLength(200);
        builder.HasIndex(w => w.ReceivedAt);
    }
}
