using CorpNotifier.Intake;
using CorpNotifier.Notices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Privacy;

/// <summary>
/// What retention adds to the letters' and events' tables: when a row was anonymised
/// (<c>anonymised_at</c>, a shadow property: the entities do not need it), and a partial index of
/// the rows not anonymised yet by age, so the nightly job finds its next batch without reading the
/// history it already did.
/// </summary>
public static class RetentionColumns
{
    public const string AnonymisedAt = "AnonymisedAt";
}

internal sealed class NoticeRetentionConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.Property<DateTimeOffset?>(RetentionColumns.AnonymisedAt);
        builder.HasIndex(nameof(Notice.CreatedAt)).HasFilter("anonymised_at IS NULL").HasDatabaseName("ix_notices_not_anonymised");
    }
}

internal sealed class EventRetentionConfiguration : IEntityTypeConfiguration<EventRecord>
{
    public void Configure(EntityTypeBuilder<EventRecord> builder)
    {
        builder.Property<DateTimeOffset?>(RetentionColumns.AnonymisedAt);
        builder.HasIndex(nameof(EventRecord.ReceivedAt)).HasFilter("anonymised_at IS NULL").HasDatabaseName("ix_events_not_anonymised");
    }
}
