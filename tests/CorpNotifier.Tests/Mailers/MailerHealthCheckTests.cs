using CorpNotifier.Health;
using CorpNotifier.Hosting;
using CorpNotifier.Mailers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace CorpNotifier.Tests.Mailers;

/// <summary>Readiness shows the mailer's circuit: healthy while closed, degraded (still ready: the instance takes events) while open.</summary>
public sealed class MailerHealthCheckTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ManualClock _clock = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_closed_circuit_is_healthy()
    {
        using var gate = Gate();

        var result = await new MailerHealthCheck(gate, _clock).CheckHealthAsync(new HealthCheckContext());

        result.Status.ShouldBe(HealthStatus.Healthy);
        result.Description.ShouldBe("mailer circuit closed");
    }

    [Fact]
    public async Task An_open_circuit_is_degraded_and_says_until_when_and_after_how_many_failures()
    {
        using var gate = Gate();
        gate.Breaker.Record(new MailResult.Transient("down"), _clock.GetUtcNow());
        gate.Breaker.Record(new MailResult.Transient("down"), _clock.GetUtcNow());

        var result = await new MailerHealthCheck(gate, _clock).CheckHealthAsync(new HealthCheckContext());

        result.Status.ShouldBe(HealthStatus.Degraded);
        result.Description.ShouldBe($"mailer circuit open: the mailer is not called until {_clock.GetUtcNow().AddMinutes(1):O} after 2 failures in a row");
    }

    private MailerGate Gate() =>
        new(new MailerLimitsOptions { BreakAfterFailures = 2, BreakFor = TimeSpan.FromMinutes(1) }, _clock, new NotifierMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<MailerGate>.Instance, rate: null);
}
