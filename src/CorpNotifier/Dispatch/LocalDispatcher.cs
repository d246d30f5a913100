using System.Threading.Channels;
using CorpNotifier.Persistence;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Dispatch;

/// <summary>
/// Sends notices in this process: workers take notice ids from a bounded queue, each as many as are
/// queued up to <c>Dispatch:SendBatchSize</c>, and run them through <see cref="NoticeSender"/> as one
/// batch, in its own scope; <c>Dispatch:ConcurrentSends</c> letters are under way at once. The sweeper
/// and the fast path (a notice due when it is created) hand their notices here; nothing goes
/// through the broker (docs/adr/0011).
/// </summary>
/// <remarks>
/// Nothing is lost if the process stops with ids still queued: they are marked queued in the
/// database for <c>Dispatch:RequeueAfter</c>, after which the sweeper of any instance queues them
/// again. At shutdown the ids not taken yet are released at once, so another instance can send
/// them without waiting. The claim itself is conditional, so an id handed over twice is sent once.
/// </remarks>
public sealed partial class LocalDispatcher(
    IServiceScopeFactory scopes,
    DatabaseAvailability database,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    ILogger<LocalDispatcher> logger) : BackgroundService
{
    /// <summary>Sends of one batch tried again after the database came back, before it is left to the sweeper.</summary>
    private const int OutageRetries = 5;

    /// <summary>Ids handed over together (a sweep's, split into send batches) stay together: a worker takes them as one batch.</summary>
    private readonly Channel<long[]> _queue = Channel.CreateBounded<long[]>(new BoundedChannelOptions(options.Value.BatchSize * 2)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = false,
    });

    /// <summary>Notices handed over and not finished yet (queued or being sent).</summary>
    private int _outstanding;

    /// <summary>Completed (and replaced) whenever a send finishes: whoever waits for room looks again.</summary>
    private TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// How many more notices the sweeper may queue for this instance now: twice the concurrent
    /// sends, less those handed over and not finished. An instance queues no more than it can soon
    /// send, so a burst is shared between instances instead of waiting in one instance's queue.
    /// </summary>
    public int Room => (2 * options.Value.ConcurrentSends) - Volatile.Read(ref _outstanding);

    /// <summary>Waits until <see cref="Room"/> is at least <paramref name="wanted"/>.</summary>
    public async Task WaitForRoomAsync(int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            var finished = Volatile.Read(ref _finished);
            if (Room >= wanted)
            {
                return;
            }

            await finished.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Hands a notice to the send path, waiting while the queue is full (the caller slows down with it).</summary>
    public ValueTask EnqueueAsync(long noticeId, CancellationToken cancellationToken) =>
        EnqueueAsync([noticeId], cancellationToken);

    /// <summary>Hands notices to the send path, in send batches (the ids stay together), waiting while the queue is full.</summary>
    public async ValueTask EnqueueAsync(IReadOnlyList<long> noticeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(noticeIds);
        foreach (var chunk in noticeIds.Chunk(options.Value.SendBatch))
        {
            Interlocked.Add(ref _outstanding, chunk.Length);
            try
            {
                await _queue.Writer.WriteAsync(chunk, cancellationToken);
            }
            catch
            {
                Finished(chunk.Length);
                throw;
            }
        }
    }

    private void Finished(int count)
    {
        Interlocked.Add(ref _outstanding, -count);
        Interlocked.Exchange(ref _finished, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, options.Value.SendWorkers).Select(_ => WorkAsync(stoppingToken)).ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            await ReleaseQueuedAsync();
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        // Stopping ends the taking of new ids, not a send under way: a letter the mailer accepted
        // is recorded before the process exits.
        var batch = new List<long>(options.Value.SendBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            // What is queued now, up to a batch: a batch never waits to fill up.
            while (_queue.Reader.TryPeek(out var next) && (batch.Count == 0 || batch.Count + next.Length <= options.Value.SendBatch) && _queue.Reader.TryRead(out next))
            {
                batch.AddRange(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await SendAsync(batch, stoppingToken);
            }
            finally
            {
                Finished(batch.Count);
                batch.Clear();
            }
        }
    }

    private async Task SendAsync(IReadOnlyList<long> ids, CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<NoticeSender>().SendAsync(ids, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !stoppingToken.IsCancellationRequested && attempt < OutageRetries)
            {
                database.ReportUnavailable(ex, time.GetUtcNow());
                await database.WaitUntilAvailableAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The notices stay queued (or claimed) in the database: the sweeper takes them again.
                LogSendFailed(ex, ids.Count, ids[0]);
                return;
            }
        }
    }

    /// <summary>Ids queued here but not taken: their queued mark is lifted so any instance's next sweep sends them.</summary>
    private async Task ReleaseQueuedAsync()
    {
        var left = new List<long>();
        while (_queue.Reader.TryRead(out var ids))
        {
            left.AddRange(ids);
        }

        if (left.Count == 0 || !database.IsAvailable)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var released = await scope.ServiceProvider.GetRequiredService<DueNoticeQueue>().ReleaseAsync(left, CancellationToken.None);
            LogReleased(released);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReleaseFailed(ex, left.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} letters (the first notice {NoticeId}): the send path failed; the sweeper will take them again")]
    private partial void LogSendFailed(Exception exception, int count, long noticeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {Count} letters queued here were released for the next sweep")]
    private partial void LogReleased(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: {Count} letters queued here could not be released; they are swept again after Dispatch:RequeueAfter")]
    private partial void LogReleaseFailed(Exception exception, int count);
}
