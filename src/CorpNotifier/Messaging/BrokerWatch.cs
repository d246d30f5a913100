using MassTransit;

namespace CorpNotifier.Messaging;

/// <summary>
/// Tells ops, in one line each time, what the bus is doing: connected, or unreachable and being
/// retried. MassTransit reconnects by itself (with backoff, per endpoint); its own per-endpoint
/// retry chatter is left out of the log (<c>Logging:LogLevel:MassTransit</c> = Error), and this
/// watch reports the state instead: when it changes, and while the broker stays unreachable, once
/// per check with a growing interval (1, 2, 4 … 30 s), from the first second of a loss, or from the
/// tenth at start (a bus not connected yet while the service starts is no outage).
/// </summary>
public sealed partial class BrokerWatch(IBusControl bus, TimeProvider time, ILogger<BrokerWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxReport = TimeSpan.FromSeconds(30);

    /// <summary>How long the bus may take to connect at start before it is reported: starting takes seconds on a busy machine.</summary>
    private static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var healthy = false;
        var started = false;
        DateTimeOffset? downSince = null;
        var check = 0;
        var nextReport = DateTimeOffset.MinValue;
        var reportEvery = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var health = bus.CheckHealth();
            var now = time.GetUtcNow();
            if (health.Status == BusHealthStatus.Healthy)
            {
                if (!healthy)
                {
                    LogConnected(downSince is { } since ? now - since : TimeSpan.Zero);
                }

                (healthy, started, downSince, check, reportEvery, nextReport) = (true, true, null, 0, TimeSpan.FromSeconds(1), DateTimeOffset.MinValue);
            }
            else
            {
                if (downSince is null)
                {
                    // A moment without the bus is normal in a reconnect, and a few seconds at start: report
                    // from the first second on after a loss, from the grace's end on at start.
                    downSince = now;
                    nextReport = now + (started ? TimeSpan.FromSeconds(1) : StartGrace);
                }

                healthy = false;
                if (now >= nextReport)
                {
                    check++;
                    LogUnreachable(check, now - downSince.Value, Describe(health), reportEvery);
                    nextReport = now + reportEvery;
                    reportEvery = TimeSpan.FromTicks(Math.Min(reportEvery.Ticks * 2, MaxReport.Ticks));
                }
            }

            await Task.Delay(Poll, TimeProvider.System, stoppingToken);
        }
    }

    private static string Describe(BusHealthResult health)
    {
        var reason = health.Exception?.GetBaseException().Message ?? health.Description;
        return reason.ReplaceLineEndings(" ");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker connected, queues declared ({Outage} after it was last seen or the start)")]
    private partial void LogConnected(TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker check {Check}: not connected for {Duration}: {Reason}; reconnecting, next report in {Next}")]
    private partial void LogUnreachable(int check, TimeSpan duration, string reason, TimeSpan next);
}
