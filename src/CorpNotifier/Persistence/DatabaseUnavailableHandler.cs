using Microsoft.AspNetCore.Diagnostics;

namespace CorpNotifier.Persistence;

/// <summary>An admin request that finds the database down answers 503 with problem details (not a 500), and the outage is reported to the watch.</summary>
public sealed class DatabaseUnavailableHandler(DatabaseAvailability availability, IProblemDetailsService problems, TimeProvider time) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFaults.IsUnavailable(exception))
        {
            return false;
        }

        availability.ReportUnavailable(exception, time.GetUtcNow());
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable",
                Detail = "Nothing was changed. Try again shortly; /health/ready tells when the service is back.",
            },
        });
    }
}
