using Microsoft.Extensions.Options;

namespace CorpNotifier.Notices;

/// <summary>
/// Seeds and re-syncs the stored notice settings from configuration: when the schema is up to date
/// at start (before the database opens for work), and whenever configuration reloads.
/// </summary>
public sealed partial class NoticeSettingsSynchronizer(
    IServiceScopeFactory scopes,
    IOptionsMonitor<NoticesOptions> options,
    ILogger<NoticeSettingsSynchronizer> logger) : Persistence.IDatabaseStartupStep, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IDisposable? _subscription;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await SyncAsync(cancellationToken);
        _subscription ??= options.OnChange(changed => _ = SyncSafelyAsync());
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _gate.Dispose();
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NoticeSettingsStore>().SyncFromConfigurationAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SyncSafelyAsync()
    {
        try
        {
            await SyncAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogSyncFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notice settings could not be synced from the reloaded configuration")]
    private partial void LogSyncFailed(Exception exception);
}
