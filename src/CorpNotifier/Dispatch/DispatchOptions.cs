using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Dispatch;

/// <summary>Section <c>Dispatch</c>: the sweeper and the send path.</summary>
public sealed class DispatchOptions
{
    /// <summary>How often the sweeper looks for due notices.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Notices queued per statement, at most: an instance queues no more than it can soon send (twice <see cref="ConcurrentSends"/>, less those it has under way).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Batches one sweep may queue before it yields to the next run.</summary>
    [Range(1, 1_000)]
    public int MaxBatchesPerSweep { get; set; } = 25;

    /// <summary>How long a claimed (<c>sending</c>) notice belongs to its instance; after that it is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After a notice was handed to an instance's send queue, how long before a sweep takes it again (its instance stopped before sending it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts (claims) before a notice ends <c>failed</c>.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; doubles with each attempt up to <see cref="MaxRetryBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Notices one instance sends at once: its send path runs <c>ConcurrentSends / SendBatchSize</c> batches side by side.</summary>
    [Range(1, 256)]
    public int ConcurrentSends { get; set; } = 128;

    /// <summary>
    /// Notices the send path takes together, at most: claimed in one statement, checked with one read
    /// of their clients and filters, sent concurrently, their answers committed together as they come.
    /// A batch takes what is queued, without waiting to fill up.
    /// </summary>
    [Range(1, 256)]
    public int SendBatchSize { get; set; } = 32;

    /// <summary>Notices in one send batch: <see cref="SendBatchSize"/>, never more than <see cref="ConcurrentSends"/>.</summary>
    public int SendBatch => Math.Min(SendBatchSize, ConcurrentSends);

    /// <summary>Send batches one instance runs side by side.</summary>
    public int SendWorkers => (ConcurrentSends + SendBatch - 1) / SendBatch;

    public TimeSpan BackoffAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryBackoff.Ticks * factor, MaxRetryBackoff.Ticks));
        return delay;
    }
}
