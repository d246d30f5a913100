using System.Globalization;
using CorpNotifier.Hosting;
using CorpNotifier.Messaging;
using CorpNotifier.Notices;
using CorpNotifier.Operations;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.AdminUi;

/// <summary>What the letters page was asked, exactly as its address carries it (so a search can be shared as a link).</summary>
public sealed record LetterQuery(string? Q, string? Kind, string? Status, DateOnly? From, DateOnly? To, long? Before)
{
    public const int PageSize = 50;
}

public sealed record LetterResults(IReadOnlyList<Notice> Items, long? NextBefore, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// One search box for every way an operator knows a letter: its id, the client's id, the event's
/// id, the contract's id, or an address it went (or was to go) to. Newest first, keyset pages.
/// </summary>
public sealed class LetterSearch(NoticesDbContext db)
{
    public async Task<LetterResults> FindAsync(LetterQuery query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        NoticeStatus? status = null;
        if (!string.IsNullOrEmpty(query.Status))
        {
            if (Enum.TryParse<NoticeStatus>(query.Status, ignoreCase: true, out var parsed) && !int.TryParse(query.Status, out _))
            {
                status = parsed;
            }
            else
            {
                errors["status"] = query.Status;
            }
        }

        if (errors.Count > 0)
        {
            return new LetterResults([], null, errors);
        }

        var notices = db.Notices.AsNoTracking();
        var q = query.Q?.Trim();
        if (!string.IsNullOrEmpty(q))
        {
            // Each identifier has its index; an address is matched against the recipient lists,
            // asked for only when the text is an address. On PostgreSQL list.Contains(address) is
            // "list @> ARRAY[address]", which the lists' GIN indexes serve; the planner weighs
            // them against walking the history newest first by how common the address is.
            if (q.Contains('@', StringComparison.Ordinal))
            {
                var address = q.ToLowerInvariant();
                notices = notices.Where(n => n.SentTo.Contains(address) || n.Recipients.Contains(address) || n.SentTo.Contains(q) || n.Recipients.Contains(q));
            }
            else
            {
                var id = long.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedId) ? parsedId : -1;
                notices = notices.Where(n => n.Id == id || n.ClientId == q || n.EventId == q || n.ContractId == q);
            }
        }

        if (!string.IsNullOrEmpty(query.Kind))
        {
            notices = notices.Where(n => n.Kind == query.Kind);
        }

        if (status is { } wanted)
        {
            notices = notices.Where(n => n.Status == wanted);
        }

        if (query.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            notices = notices.Where(n => n.CreatedAt >= start);
        }

        if (query.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            notices = notices.Where(n => n.CreatedAt < end);
        }

        if (query.Before is { } before)
        {
            notices = notices.Where(n => n.Id < before);
        }

        var page = await notices.OrderByDescending(n => n.Id).Take(LetterQuery.PageSize + 1).ToListAsync(cancellationToken);
        var items = page.Take(LetterQuery.PageSize).ToList();
        return new LetterResults(items, page.Count > LetterQuery.PageSize ? items[^1].Id : null, errors);
    }
}

/// <summary>What needs an operator now: letters being retried or failed, due letters waiting, events in error queues.</summary>
public sealed record Attention(
    int DueNow,
    TimeSpan? OldestDueWaiting,
    int Sending,
    int ScheduledNextDay,
    IReadOnlyList<Notice> Retrying,
    IReadOnlyList<Notice> FailedLastDay,
    IReadOnlyList<ErrorQueueCount>? ErrorQueues,
    string? ErrorQueuesProblem);

public sealed record ErrorQueueCount(string Queue, uint Count);

public sealed class AttentionReport(
    NoticesDbContext db,
    TimeProvider time,
    ServiceOptions picks,
    IOptions<RabbitMqOptions> rabbit,
    IOptions<MessagingOptions> messaging)
{
    public const int ListSize = 20;

    public async Task<Attention> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = db.Notices.AsNoTracking().Where(n => n.Status == NoticeStatus.Pending);
        var dueNow = await pending.CountAsync(n => n.SendAt <= now, cancellationToken);
        var oldest = dueNow == 0 ? null : await pending.Where(n => n.SendAt <= now).OrderBy(n => n.SendAt).Select(n => (DateTimeOffset?)n.SendAt).FirstOrDefaultAsync(cancellationToken);
        var sending = await db.Notices.CountAsync(n => n.Status == NoticeStatus.Sending, cancellationToken);
        var dayAhead = now.AddDays(1);
        var scheduled = await pending.CountAsync(n => n.SendAt > now && n.SendAt <= dayAhead, cancellationToken);
        var retrying = await pending.Where(n => n.Attempts > 0).OrderByDescending(n => n.UpdatedAt).Take(ListSize).ToListAsync(cancellationToken);
        var dayAgo = now.AddDays(-1);
        var failed = await db.Notices.AsNoTracking().Where(n => n.Status == NoticeStatus.Failed && n.UpdatedAt >= dayAgo)
            .OrderByDescending(n => n.UpdatedAt).Take(ListSize).ToListAsync(cancellationToken);
        var (queues, problem) = await ErrorQueuesAsync(cancellationToken);
        return new Attention(dueNow, oldest is { } o ? now - o : null, sending, scheduled, retrying, failed, queues, problem);
    }

    /// <summary>
    /// The first messages of one of the service's error queues, read and handed back in their place
    /// (as the <c>errors list</c> command does); a queue the service does not own is not read.
    /// </summary>
    public async Task<(QueueContents? Contents, string? Problem, int Status)> PeekAsync(string queue, int max, CancellationToken cancellationToken)
    {
        if (picks.Transport != TransportKind.RabbitMq)
        {
            return (null, "The in-memory bus keeps no error queues.", StatusCodes.Status404NotFound);
        }

        if (!ServiceQueues.ErrorQueues(messaging.Value.EndpointPrefix).Contains(queue, StringComparer.Ordinal))
        {
            return (null, $"'{queue}' is not one of this service's error queues.", StatusCodes.Status404NotFound);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await using var client = await ErrorQueueClient.ConnectAsync(new OperatorSettings(rabbit.Value, messaging.Value.EndpointPrefix), timeout.Token);
            return (await client.PeekAsync(queue, max, null, timeout.Token), null, StatusCodes.Status200OK);
        }
        catch (Exception ex) when (ex is OperatorException or OperationCanceledException or RabbitMQ.Client.Exceptions.RabbitMQClientException)
        {
            return (null, ex is OperationCanceledException ? "RabbitMQ did not answer in 10 s." : ex.Message, StatusCodes.Status503ServiceUnavailable);
        }
    }

    private async Task<(IReadOnlyList<ErrorQueueCount>?, string?)> ErrorQueuesAsync(CancellationToken cancellationToken)
    {
        if (picks.Transport != TransportKind.RabbitMq)
        {
            return (null, "The in-memory bus keeps no error queues.");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var client = await ErrorQueueClient.ConnectAsync(new OperatorSettings(rabbit.Value, messaging.Value.EndpointPrefix), timeout.Token);
            var counts = new List<ErrorQueueCount>();
            foreach (var queue in ServiceQueues.ErrorQueues(messaging.Value.EndpointPrefix))
            {
                counts.Add(new ErrorQueueCount(queue, await client.CountAsync(queue, timeout.Token) ?? 0));
            }

            return (counts, null);
        }
        catch (Exception ex) when (ex is OperatorException or OperationCanceledException or RabbitMQ.Client.Exceptions.RabbitMQClientException)
        {
            return (null, ex is OperationCanceledException ? "RabbitMQ did not answer in 5 s." : ex.Message);
        }
    }
}
