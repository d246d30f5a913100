using CorpNotifier.Deliveries;
using CorpNotifier.Persistence;
using CorpNotifier.Suppressions;
using CorpNotifier.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>One embedded host the suppression tests share; each test uses its own clients and addresses.</summary>
public sealed class SuppressionHost : IAsyncLifetime
{
    public TestHost Host { get; } = new(new Dictionary<string, string?>
    {
        ["Suppressions:SoftBounces"] = "3",
        ["Suppressions:SoftBounceWindow"] = "7.00:00:00",
    });

    public Task InitializeAsync()
    {
        Host.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Tells the list of a delivery report as the deliveries part does: in a unit of work it then saves.</summary>
    public async Task ReportAsync(DeliveryReport report)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        foreach (var listener in scope.ServiceProvider.GetServices<IDeliveryListener>())
        {
            await listener.OnDeliveryAsync(report, CancellationToken.None);
        }

        await db.SaveChangesAsync();
    }

    public Task<List<SuppressionRecord>> EntriesAsync(string clientId) =>
        Host.WithDbAsync(db => db.Suppressions.AsNoTracking().Where(s => s.ClientId == clientId).OrderBy(s => s.Id).ToListAsync());

    public DeliveryReport Report(string clientId, string recipient, DeliveryOutcome outcome, string? text = null, long noticeId = 7, DateTimeOffset? at = null) =>
        new(noticeId, clientId, "LowBalanceNotice", recipient, outcome, text, at ?? Host.Clock.GetUtcNow(), "webhook");
}
