using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Benchmarks.Scenarios;

/// <summary>
/// The Sender API (<c>POST /api/0/{account}/transactional/{slug}/send</c>) on loopback with the
/// limit of a real provider account: <see cref="PerSecond"/> calls a second (a token bucket holding
/// half a second's worth); a call over it is answered <c>429</c> with <c>Retry-After: 1</c>, and
/// every call that arrives during such a pause is counted (<see cref="CallsDuringPause"/>; those
/// within <see cref="InFlight"/> of the 429 were on their way already). Every accepted letter is a
/// <see cref="Receipt"/> keyed as <see cref="SenderStandIn.KeyOf"/>.
/// </summary>
public sealed class LimitedSender : IAsyncDisposable
{
    /// <summary>Calls that arrive this soon after a 429 was answered were sent before the service could read it.</summary>
    public static readonly TimeSpan InFlight = TimeSpan.FromMilliseconds(50);

    private readonly WebApplication _app;
    private readonly TokenBucketRateLimiter _bucket;
    private readonly object _lock = new();
    private long _pausedFrom;
    private long _pausedUntil;
    private int _throttled;
    private int _duringPause;
    private int _duringPauseInFlight;
    private int _messageIds;

    public LimitedSender(int perSecond)
    {
        PerSecond = perSecond;
        var tokens = Math.Max(1, perSecond / 100);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perSecond / 2),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokens / perSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseUrl);
        _app = builder.Build();
        _app.MapPost("/api/0/{account}/transactional/{slug}/send", SendAsync);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int PerSecond { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<Receipt> Receipts { get; } = new();

    public int Count => Receipts.Count;

    /// <summary>Calls answered 429.</summary>
    public int Throttled => _throttled;

    /// <summary>Calls that arrived while a pause the stand-in asked for was running.</summary>
    public int CallsDuringPause => _duringPause;

    /// <summary>Of those, the calls that arrived within <see cref="InFlight"/> of the 429 (already on their way).</summary>
    public int CallsDuringPauseInFlight => _duringPauseInFlight;

    public Dictionary<string, string> ServiceSettings() => new()
    {
        ["Mailer"] = "Sender",
        ["Sender:BaseUrl"] = BaseUrl,
        ["Sender:Account"] = SenderStandIn.Account,
        ["Sender:ApiKey"] = SenderStandIn.ApiKey,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _bucket.Dispose();
    }

    private async Task<IResult> SendAsync(string account, string slug, HttpRequest request, CancellationToken cancellationToken)
    {
        var at = Moment.Now;
        lock (_lock)
        {
            if (at < _pausedUntil)
            {
                _duringPause++;
                if (Moment.Milliseconds(_pausedFrom, at) <= InFlight.TotalMilliseconds)
                {
                    _duringPauseInFlight++;
                }
            }
        }

        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        using var args = JsonDocument.Parse(body.RootElement.TryGetProperty("args", out var text) ? text.GetString() ?? "{}" : "{}");
        using var permit = _bucket.AttemptAcquire();
        if (!permit.IsAcquired)
        {
            lock (_lock)
            {
                _throttled++;
                var now = Moment.Now;
                if (now >= _pausedUntil)
                {
                    _pausedFrom = now;
                    _pausedUntil = now + System.Diagnostics.Stopwatch.Frequency;
                }
            }

            request.HttpContext.Response.Headers.RetryAfter = "1";
            return Results.Json(new { error = "too many requests" }, statusCode: StatusCodes.Status429TooManyRequests);
        }

        var balance = args.RootElement.TryGetProperty("new_balance", out var value) ? value.ToString() : "";
        Receipts.Enqueue(new Receipt(SenderStandIn.KeyOf(request.Query["to_email"].ToString(), slug, balance), at));
        return Results.Json(new { result = new { message_id = $"msg-{Interlocked.Increment(ref _messageIds).ToString(CultureInfo.InvariantCulture)}" } });
    }
}
