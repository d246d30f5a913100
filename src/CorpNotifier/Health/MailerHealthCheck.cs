using CorpNotifier.Mailers;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CorpNotifier.Health;

/// <summary>
/// The mailer's circuit: Healthy while closed; Degraded while open or probing, saying until when
/// the mailer is not called and after how many failures (the instance still takes events: its
/// letters wait and go out once the mailer answers).
/// </summary>
public sealed class MailerHealthCheck(MailerGate gate, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var circuit = gate.Breaker.State(now);
        var paused = gate.PausedUntil > now ? $"; paused at the mailer's request until {gate.PausedUntil:O}" : "";
        return Task.FromResult(circuit.State switch
        {
            MailerCircuitState.Open => HealthCheckResult.Degraded($"mailer circuit open: the mailer is not called until {circuit.OpenUntil:O} after {circuit.Failures} failures in a row{paused}"),
            MailerCircuitState.HalfOpen => HealthCheckResult.Degraded($"mailer circuit half-open: a probe call decides, after {circuit.Failures} failures in a row{paused}"),
            _ => HealthCheckResult.Healthy(gate.Breaker.Enabled ? $"mailer circuit closed{paused}" : $"mailer called (no circuit breaker){paused}"),
        });
    }
}
