using System.Threading.Channels;
using CorpNotifier.Contracts;
using CorpNotifier.Messaging;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>
/// Gathers the events the bus's consumers hold at one moment into batches, each processed in one
/// transaction with one commit (<see cref="EventProcessor.ProcessBatchAsync"/>): up to
/// <c>Messaging:EventBatchSize</c> events. One worker gathers at a time while the others process
/// theirs, so batches form one after another instead of splitting what arrives together. A batch
/// waits at most <c>Messaging:EventBatchTimeLimit</c> after its first event for more, and by default
/// (<see cref="EventBatchWait.WhileBusy"/>) only while another batch is in the database: an event
/// that finds the database idle goes at once, and under load batches fill by themselves. A consumer
/// hands its event in and waits for the batch's commit, so its message is acknowledged only once the
/// event is stored, and a message that faults faults on its own: when a batch cannot be processed
/// together (an event seen before, a conflict, a poison event, a deadlock, the database gone),
/// nothing of it is kept and each of its events is processed alone by its own consumer, as without
/// batches — the bad one faults to its queue's <c>_error</c>, the others go through.
/// </summary>
/// <remarks>
/// MassTransit's <c>Batch&lt;T&gt;</c> consumer is not used: a failing batch consumer faults every
/// message of the batch, and retry, the database gate and the error queue would act on the batch;
/// splitting it would mean moving a message to its error queue by hand. Here every message keeps the
/// endpoint's pipe (gate, retry, <c>_error</c> with its reason) and only the database work is shared.
/// </remarks>
public sealed partial class EventBatches : IAsyncDisposable
{
    /// <summary>Batches processed at once by one instance: while one waits for the database, the next is evaluated.</summary>
    public const int AtOnce = 2;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly MessagingOptions _options;
    private readonly ILogger<EventBatches> _logger;
    private readonly Lock _startLock = new();
    private readonly SemaphoreSlim _gathering = new(1, 1);
    private int _processing;
    private Task[]? _workers;

    public EventBatches(IServiceScopeFactory scopes, IOptions<MessagingOptions> options, ILogger<EventBatches> logger)
    {
        _scopes = scopes;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Whether events are batched at all (<c>Messaging:EventBatchSize</c> above 1).</summary>
    public bool Enabled => _options.EventBatchSize > 1;

    /// <summary>
    /// Processes <paramref name="evt"/> (valid, on its first delivery) in the next batch. Null when it
    /// was not processed there and nothing of it is stored: its batch could not be processed together,
    /// or its client's profile or contract is not known yet; the caller then processes it alone.
    /// </summary>
    public async Task<EventResult?> TryProcessAsync(IEvent evt, CancellationToken cancellationToken)
    {
        if (!Enabled || _stopping.IsCancellationRequested)
        {
            return null;
        }

        EnsureStarted();
        var pending = new Pending(evt);
        if (!_queue.Writer.TryWrite(pending))
        {
            return null;
        }

        // A consumer that stops waiting (the service stopping) leaves its message unacknowledged: if
        // its batch commits anyway, the redelivery is a repeat, and acts once.
        return await pending.Result.Task.WaitAsync(cancellationToken);
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _workers) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _workers ??= Enumerable.Range(0, AtOnce).Select(_ => Task.Run(RunAsync)).ToArray();
        }
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.EventBatchSize);
        try
        {
            while (true)
            {
                batch.Clear();
                await _gathering.WaitAsync(stopping);
                try
                {
                    if (!await reader.WaitToReadAsync(stopping))
                    {
                        break;
                    }

                    await FillAsync(batch, reader, stopping);
                    Interlocked.Increment(ref _processing);
                }
                finally
                {
                    _gathering.Release();
                }

                try
                {
                    if (batch.Count > 0)
                    {
                        await ProcessAsync(batch, stopping);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _processing);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            // Whoever still waits processes its event alone (or is stopping too).
            foreach (var pending in batch)
            {
                pending.Result.TrySetResult(null);
            }
        }
    }

    /// <summary>
    /// Takes what waits, up to the batch size; then, while the batch is not full, what comes within
    /// the time limit — with <see cref="EventBatchWait.WhileBusy"/> only when another batch is in the
    /// database, since otherwise waiting would only delay the events it holds.
    /// </summary>
    private async Task FillAsync(List<Pending> batch, ChannelReader<Pending> reader, CancellationToken stopping)
    {
        var size = _options.EventBatchSize;
        while (batch.Count < size && reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }

        if (batch.Count == 0 || batch.Count >= size || _options.EventBatchTimeLimit <= TimeSpan.Zero
            || (_options.EventBatchWait == EventBatchWait.WhileBusy && Volatile.Read(ref _processing) == 0))
        {
            return;
        }

        // Real time, not the service's clock: this is how long a message waits in memory, which a
        // test's clock must not stop.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(_options.EventBatchTimeLimit);
        try
        {
            while (batch.Count < size && await reader.WaitToReadAsync(limit.Token))
            {
                while (batch.Count < size && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(List<Pending> batch, CancellationToken stopping)
    {
        IReadOnlyList<EventResult?> results;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var processor = scope.ServiceProvider.GetRequiredService<EventProcessor>();
            results = await processor.ProcessBatchAsync(batch.Select(p => p.Event).ToList(), stopping);
            LogStored(batch.Count, results.Count(r => r is not null));
        }
        catch (Exception ex)
        {
            // Nothing of the batch was kept: each event is processed alone, where a bad one faults on
            // its own message, with its reason.
            LogSplit(batch.Count, ex.GetBaseException().GetType().Name);
            results = new EventResult?[batch.Count];
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Result.TrySetResult(results[i]);
        }

        batch.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _queue.Writer.TryComplete();
        if (_workers is { } workers)
        {
            await Task.WhenAll(workers);
        }

        while (_queue.Reader.TryRead(out var pending))
        {
            pending.Result.TrySetResult(null);
        }

        _stopping.Dispose();
        _gathering.Dispose();
    }

    private sealed record Pending(IEvent Event)
    {
        public TaskCompletionSource<EventResult?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored a batch of {Count} events in one transaction ({Processed} processed, the others left to process alone)")]
    private partial void LogStored(int count, int processed);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} events could not be processed together ({Reason}); each is processed alone")]
    private partial void LogSplit(int count, string reason);
}
