using System.Text.Json;
using CorpNotifier.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CorpNotifier.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// Liveness: the process answers. Readiness: the database is open for work (schema up to date,
    /// reachable now) and the bus is connected with its queues declared (MassTransit's check,
    /// registered as "bus"). Anything but Healthy is 503, with what is missing in the body — except
    /// the mailer's open circuit ("mailer", Degraded), which alone leaves it 200: the instance still
    /// takes events and keeps its letters for later, and taking it out of the load balancer would
    /// not bring the mailer back.
    /// </summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<MailerHealthCheck>("mailer", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var unhealthyIsUnavailable = new Dictionary<HealthStatus, int>
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        };
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteReadyAsync,
            ResultStatusCodes = unhealthyIsUnavailable,
        }).WithTags("Health");
        return app;
    }

    private static Task WriteReadyAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Degraded
            && report.Entries.All(e => e.Value.Status == HealthStatus.Healthy || (e.Key == "mailer" && e.Value.Status == HealthStatus.Degraded)))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        return WriteAsync(context, report);
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, error = e.Value.Exception?.Message }),
        }, cancellationToken: context.RequestAborted);
    }
}

/// <summary>The database is open for work and answers a query now; otherwise what is wrong, and since when.</summary>
public sealed class DatabaseHealthCheck(DatabaseAvailability availability, IServiceScopeFactory scopes, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!availability.IsAvailable)
        {
            return HealthCheckResult.Unhealthy(Since(availability.Problem));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            return HealthCheckResult.Healthy("open for work");
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            availability.ReportUnavailable(ex, time.GetUtcNow());
            return HealthCheckResult.Unhealthy(Since(availability.Problem));
        }
    }

    private string Since(string problem) =>
        availability.UnavailableSince is { } since ? $"{problem} (since {since:O})" : problem;
}
