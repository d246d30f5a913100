using System.Diagnostics.Metrics;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Dispatch;

/// <summary>
/// Two gauges on the service's meter: how many letters are due and still waiting (pending,
/// <c>send_at</c> passed) and how long the oldest of them has waited. They report what
/// <see cref="DueLettersSampler"/> last read from the database, so a scrape never queries it;
/// nothing is reported before the first reading.
/// </summary>
public sealed class DueLettersGauges
{
    private readonly TimeProvider _time;
    private Sample? _last;

    public DueLettersGauges(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(NotifierMetrics.MeterName);
        meter.CreateObservableGauge(
            "corp_notifier.due_letters",
            () => _last is { } last ? [new Measurement<long>(last.Count)] : Array.Empty<Measurement<long>>(),
            "{letter}",
            "Letters due and not sent yet (pending, send_at passed), as last read from the database");
        meter.CreateObservableGauge(
            "corp_notifier.oldest_due_letter_age",
            () => _last is { } last ? [new Measurement<double>(AgeOf(last))] : Array.Empty<Measurement<double>>(),
            "s",
            "How long the oldest due letter has waited past its send_at (0 when none is due)");
    }

    public void Record(long count, DateTimeOffset? oldestSendAt) => _last = new Sample(count, oldestSendAt);

    // The age goes on growing between readings (and while the database cannot be read): the oldest
    // letter does not get younger until a reading finds it sent.
    private double AgeOf(Sample sample) =>
        sample.OldestSendAt is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds) : 0;

    private sealed record Sample(long Count, DateTimeOffset? OldestSendAt);
}

/// <summary>
/// Reads the due letters for <see cref="DueLettersGauges"/> every <c>Telemetry:DueLettersSampleInterval</c>:
/// one count and one indexed lookup (the partial index on pending letters' <c>send_at</c>). While
/// the database is unavailable it waits (its watcher logs the outage); another failure is logged
/// once until a reading succeeds again.
/// </summary>
public sealed partial class DueLettersSampler(
    DueLettersGauges gauges,
    IServiceScopeFactory scopes,
    DatabaseAvailability database,
    IOptions<TelemetryOptions> options,
    TimeProvider time,
    ILogger<DueLettersSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await database.WaitUntilAvailableAsync(stoppingToken);
                await SampleAsync(stoppingToken);
                if (failing)
                {
                    LogSampled();
                    failing = false;
                }
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !stoppingToken.IsCancellationRequested)
            {
                database.ReportUnavailable(ex, time.GetUtcNow());
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    LogSampleFailed(ex);
                    failing = true;
                }
            }

            try
            {
                await Task.Delay(options.Value.DueLettersSampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One reading: how many letters are due now, and the <c>send_at</c> of the oldest.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        var due = db.Notices.AsNoTracking().Where(n => n.Status == NoticeStatus.Pending && n.SendAt <= now);
        var count = await due.LongCountAsync(cancellationToken);
        var oldest = count == 0
            ? null
            : await due.OrderBy(n => n.SendAt).Select(n => (DateTimeOffset?)n.SendAt).FirstOrDefaultAsync(cancellationToken);
        gauges.Record(count, oldest);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the due letters for their gauges failed; the gauges keep the last reading until one succeeds")]
    private partial void LogSampleFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading the due letters for their gauges works again")]
    private partial void LogSampled();
}
