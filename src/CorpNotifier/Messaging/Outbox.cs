using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Messaging;

/// <summary>
/// A message the service must publish because something it recorded happened (table
/// <c>outbox_messages</c>): written in the transaction that records the cause, then published
/// until the broker confirms, under a stable message id (<see cref="MessageId"/>) so a consumer
/// can de-duplicate a repeat. The same guarantee letters have: the row first, then the effect.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>The AMQP / MassTransit message id: the same for the same fact, however often published.</summary>
    public Guid MessageId { get; set; }

    /// <summary>The message's CLR type (a contracts record), e.g. <c>CorpNotifier.Contracts.ActivationEmailSent</c>.</summary>
    public required string Type { get; set; }

    public required string Payload { get; set; }

    /// <summary>The letter whose sending caused it, when a letter did (its timeline shows the publish).</summary>
    public long? NoticeId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Not tried again before this moment (backoff after a failed publish).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>Adds messages to the outbox, in the caller's unit of work.</summary>
public sealed class Outbox(NoticesDbContext db)
{
    public void Add(object message, Guid messageId, long? noticeId, DateTimeOffset now) =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            MessageId = messageId,
            Type = message.GetType().FullName!,
            Payload = JsonSerializer.Serialize(message, message.GetType(), AppJson.Contracts),
            NoticeId = noticeId,
            CreatedAt = now,
            NextAttemptAt = now,
        });
}

/// <summary>The outbox's table: its mapping, and its access from <see cref="NoticesDbContext"/>.</summary>
public static class OutboxTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>Messages to publish (table <c>outbox_messages</c>).</summary>
        public DbSet<OutboxMessage> OutboxMessages => db.Set<OutboxMessage>();
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        // One row per fact: a second attempt to record the same fact finds it.
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.Property(m => m.Type).HasMaxLength(200);
        builder.Property(m => m.Payload).IsJson();
        builder.Property(m => m.LastError).HasMaxLength(2000);
        // The publisher reads unpublished messages only.
        builder.HasIndex(m => m.NextAttemptAt).HasFilter("published_at IS NULL").HasDatabaseName("ix_outbox_messages_unpublished");
    }
}
