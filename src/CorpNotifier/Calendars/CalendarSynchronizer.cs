using CorpNotifier.Persistence;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Calendars;

/// <summary>
/// Keeps the instance's calendars in step with <c>calendar_years</c>: the stored years are put in place when
/// the schema is up to date at start (before the database opens for work, so no letter is planned on the
/// shipped year an admin replaced), then the table's stamp is checked every
/// <see cref="SendWindowsOptions.CalendarRefresh"/> (one aggregate row), so an edit made on another instance
/// applies here within that time. The instance that saves an edit applies it at once.
/// </summary>
public sealed partial class CalendarSynchronizer(
    IServiceScopeFactory scopes,
    DatabaseAvailability database,
    IOptions<SendWindowsOptions> options,
    TimeProvider time,
    ILogger<CalendarSynchronizer> logger) : BackgroundService, IDatabaseStartupStep
{
    public Task RunAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The machine's clock paces the checks (a test's clock may stand still).
        using var timer = new PeriodicTimer(options.Value.CalendarRefresh);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!database.IsAvailable)
            {
                continue;
            }

            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && DatabaseFaults.IsUnavailable(ex))
            {
                // The database watch logs the outage; the calendars in place stay until it is back.
                database.ReportUnavailable(ex, time.GetUtcNow());
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(ex);
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StoredCalendars>().RefreshAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored calendars could not be read; the calendars in place stay until the next check")]
    private partial void LogRefreshFailed(Exception exception);
}
