using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Mailers;

/// <summary>
/// Section <c>MailerLimits</c>: how hard the service may press the configured mailer. Every limit is
/// off at 0. The rate is a total shared by the instances: each instance takes
/// <see cref="PerSecond"/> / <see cref="Instances"/> (a fixed per-instance share, not a shared
/// counter — an instance that is down leaves its share unused).
/// </summary>
public sealed class MailerLimitsOptions
{
    /// <summary>Mailer calls per second, all instances together; 0: no rate limit.</summary>
    [Range(0d, 100_000d)]
    public double PerSecond { get; set; }

    /// <summary>How many instances share <see cref="PerSecond"/>; each calls the mailer at most PerSecond / Instances times a second.</summary>
    [Range(1, 1_000)]
    public int Instances { get; set; } = 1;

    /// <summary>Mailer calls under way at once, per instance; 0: no cap (the send path's <c>Dispatch:ConcurrentSends</c> bounds them).</summary>
    [Range(0, 10_000)]
    public int Concurrency { get; set; }

    /// <summary>
    /// A <c>429</c>/<c>503</c> whose <c>Retry-After</c> is at most this long is waited out and the call
    /// made again in place (up to this much waiting per letter), without using up one of the letter's
    /// attempts; a longer one is handed to the send path, which tries the letter again no earlier.
    /// Keep it well below <c>Dispatch:Lease</c>. 0: never in place.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryInPlaceUpTo { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Transient failures in a row (timeouts, 5xx, refused connections — not throttling) after which the mailer is not called for <see cref="BreakFor"/>; 0: no circuit breaker.</summary>
    [Range(0, 100_000)]
    public int BreakAfterFailures { get; set; }

    /// <summary>How long an open circuit keeps calls from the mailer before one probe call is let through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan BreakFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This instance's share of <see cref="PerSecond"/>, or null when the rate is not limited.</summary>
    public double? InstanceShare => PerSecond > 0 ? PerSecond / Instances : null;

    /// <summary>
    /// The token bucket for this instance's share: whole tokens per period, about ten periods a
    /// second (one token a period below 10/s), and no more than one period's tokens at once.
    /// </summary>
    public TokenBucketRateLimiterOptions? RateLimiterOptions(bool autoReplenishment = true)
    {
        if (InstanceShare is not { } share)
        {
            return null;
        }

        var tokens = Math.Max(1, (int)Math.Round(share / 10, MidpointRounding.AwayFromZero));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromTicks((long)Math.Round(tokens * TimeSpan.TicksPerSecond / share)),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = autoReplenishment,
        };
    }
}

/// <summary>
/// Wraps the configured mailer: every call goes through the instance's <see cref="MailerGate"/>
/// (rate, concurrency, the mailer's <c>Retry-After</c> pause and the circuit breaker).
/// </summary>
public sealed class LimitedMailer(IMailer inner, MailerGate gate) : IMailer
{
    public Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken) =>
        gate.SendAsync(inner, letter, cancellationToken);
}

/// <summary>
/// One instance's door to its mailer, shared by every call. A call waits (with the send path's
/// cancellation) for a concurrency slot, for the end of a pause the mailer asked for, and for a rate
/// token; it is then made unless the circuit is open. A <c>Retry-After</c> answer pauses every call
/// to the mailer until then, and the call is made again in place when the wait is short.
/// </summary>
public sealed partial class MailerGate : IDisposable
{
    private readonly MailerLimitsOptions _options;
    private readonly TimeProvider _time;
    private readonly NotifierMetrics _metrics;
    private readonly ILogger<MailerGate> _logger;
    private readonly RateLimiter? _rate;
    private readonly ConcurrencyLimiter? _concurrency;
    private readonly object _lock = new();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public MailerGate(IOptions<MailerLimitsOptions> options, TimeProvider time, NotifierMetrics metrics, ILogger<MailerGate> logger)
        : this(options.Value, time, metrics, logger, rate: null)
    {
    }

    /// <summary>With a rate limiter of the caller's (tests replenish their own) instead of the one the options describe, when it is not null.</summary>
    public MailerGate(MailerLimitsOptions options, TimeProvider time, NotifierMetrics metrics, ILogger<MailerGate> logger, RateLimiter? rate)
    {
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _rate = rate ?? (options.RateLimiterOptions() is { } bucket ? new TokenBucketRateLimiter(bucket) : null);
        _concurrency = options.Concurrency > 0
            ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.Concurrency, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })
            : null;
        Breaker = new MailerBreaker(options.BreakAfterFailures, options.BreakFor);
        metrics.ObserveMailerCircuit(() => (int)Breaker.State(_time.GetUtcNow()).State);
    }

    public MailerBreaker Breaker { get; }

    /// <summary>Until when every call waits because the mailer said so (<c>Retry-After</c>); in the past when it did not.</summary>
    public DateTimeOffset PausedUntil
    {
        get
        {
            lock (_lock)
            {
                return _pausedUntil;
            }
        }
    }

    /// <summary>Calls of one letter in place at most, however short the mailer's <c>Retry-After</c> (a <c>Retry-After: 0</c> is no reason to loop).</summary>
    private const int MaxCallsInPlace = 20;

    public async Task<MailResult> SendAsync(IMailer mailer, Letter letter, CancellationToken cancellationToken)
    {
        if (Breaker.Refuses(_time.GetUtcNow(), making: false, out _) is { } refusedEarly)
        {
            _metrics.MailerCircuitRefused();
            return refusedEarly;
        }

        using var slot = _concurrency is null ? null : await AcquireAsync(_concurrency, "concurrency", cancellationToken);
        var waitedInPlace = TimeSpan.Zero;
        for (var call = 1; ; call++)
        {
            await WaitOutPauseAsync(cancellationToken);
            if (_rate is not null)
            {
                using var token = await AcquireAsync(_rate, "rate", cancellationToken);
                if (_time.GetUtcNow() < PausedUntil)
                {
                    // The mailer asked for a pause while this call waited for its token.
                    continue;
                }
            }

            if (Breaker.Refuses(_time.GetUtcNow(), making: true, out var probe) is { } refused)
            {
                _metrics.MailerCircuitRefused();
                return refused;
            }

            MailResult result;
            try
            {
                result = await mailer.SendAsync(letter, cancellationToken);
            }
            catch when (probe)
            {
                Breaker.Abandoned();
                throw;
            }

            if (Breaker.Record(result, _time.GetUtcNow()) is { } opened)
            {
                LogCircuitOpened(opened.Failures, opened.OpenUntil!.Value, EmailAddress.MaskAll(opened.LastError ?? ""));
            }

            if (result is not MailResult.Transient { RetryAfter: { } retryAfter } transient)
            {
                return result;
            }

            var until = Pause(retryAfter);
            if (_options.RetryInPlaceUpTo <= TimeSpan.Zero || waitedInPlace + retryAfter > _options.RetryInPlaceUpTo || call > MaxCallsInPlace)
            {
                LogHandedBack(letter.NoticeId, retryAfter, until);
                return transient;
            }

            waitedInPlace += retryAfter;
            LogRetryInPlace(letter.NoticeId, retryAfter, until);
        }
    }

    public void Dispose()
    {
        _rate?.Dispose();
        _concurrency?.Dispose();
    }

    /// <summary>No call is made to the mailer before <c>now + retryAfter</c> (a later pause already set stays).</summary>
    private DateTimeOffset Pause(TimeSpan retryAfter)
    {
        var until = _time.GetUtcNow() + (retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.Zero);
        lock (_lock)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            return _pausedUntil;
        }
    }

    private async Task WaitOutPauseAsync(CancellationToken cancellationToken)
    {
        var waited = false;
        while (PausedUntil - _time.GetUtcNow() is var left && left > TimeSpan.Zero)
        {
            if (!waited)
            {
                _metrics.MailerWaited("retry_after");
                waited = true;
            }

            await Task.Delay(left, _time, cancellationToken);
        }
    }

    private async ValueTask<RateLimitLease> AcquireAsync(RateLimiter limiter, string reason, CancellationToken cancellationToken)
    {
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        _metrics.MailerWaited(reason);
        lease = await limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            // Only a disposed limiter (the host stopping) refuses a queued call.
            lease.Dispose();
            throw new OperationCanceledException("the mailer's limiter was disposed", cancellationToken);
        }

        return lease;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailer circuit opened after {Failures} transient failures in a row: the mailer is not called until {OpenUntil}; last error: {Error}")]
    private partial void LogCircuitOpened(int failures, DateTimeOffset openUntil, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId}: the mailer asked to wait {RetryAfter}; every call paused until {PausedUntil}, this one made again then")]
    private partial void LogRetryInPlace(long noticeId, TimeSpan retryAfter, DateTimeOffset pausedUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId}: the mailer asked to wait {RetryAfter}, longer than is waited in place; every call paused until {PausedUntil}, the letter tried again then")]
    private partial void LogHandedBack(long noticeId, TimeSpan retryAfter, DateTimeOffset pausedUntil);
}
