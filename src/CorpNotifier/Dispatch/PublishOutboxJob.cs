using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Messaging;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace CorpNotifier.Dispatch;

/// <summary>
/// Publishes the outbox, every <c>Dispatch:Interval</c>: each unpublished message, under its stable
/// message id, is marked published only once the broker confirmed it; a failure is tried again
/// with backoff. With several instances a message may be published twice (each publishes, then
/// one marks it): consumers de-duplicate on the message id.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PublishOutboxJob(
    NoticesDbContext db,
    NoticeLedger ledger,
    IPublishEndpoint publish,
    IBusControl bus,
    DatabaseAvailability database,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    ILogger<PublishOutboxJob> logger) : IJob
{
    private static readonly Type[] Published = [typeof(Contracts.ActivationEmailSent)];

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!database.IsAvailable || bus.CheckHealth().Status != BusHealthStatus.Healthy)
        {
            return;
        }

        try
        {
            await PublishDueAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // An outage, not a fault of the job: the watch logs it; unmarked messages go at the next run.
            database.ReportUnavailable(ex, time.GetUtcNow());
        }
    }

    private async Task PublishDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.OutboxMessages
            .Where(m => m.PublishedAt == null && m.NextAttemptAt <= now)
            .OrderBy(m => m.Id)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var message in due)
        {
            try
            {
                var type = Published.Single(t => t.FullName == message.Type);
                var body = JsonSerializer.Deserialize(message.Payload, type, AppJson.Contracts)!;
                await publish.Publish(body, type, send => send.MessageId = message.MessageId, cancellationToken);
                message.PublishedAt = time.GetUtcNow();
                if (message.NoticeId is { } noticeId)
                {
                    await ledger.MessagePublishedAsync(noticeId, $"{type.Name} published, message id {message.MessageId}", cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !DatabaseFaults.IsUnavailable(ex))
            {
                message.Attempts++;
                message.LastError = Notice.Truncate(ex.Message);
                message.NextAttemptAt = time.GetUtcNow() + options.Value.BackoffAfter(message.Attempts);
                LogPublishFailed(message.MessageId, message.Attempts, message.NextAttemptAt, ex.Message);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId}: publish attempt {Attempt} failed, next at {NextAttemptAt}: {Error}")]
    private partial void LogPublishFailed(Guid messageId, int attempt, DateTimeOffset nextAttemptAt, string error);
}
