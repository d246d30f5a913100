using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Admin;

/// <summary>The audit log: every operator and admin action, newest first.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit", GetAudit).WithName("GetAudit").WithTags("Audit").RequireAuthorization(Policies.Read)
            .WithSummary("Who did what, when, with the state before and after; filter by actor, action, target");
        return app;
    }

    public static async Task<Results<Ok<AuditPage>, ValidationProblem>> GetAudit(
        string? actor,
        string? action,
        string? targetType,
        string? targetId,
        DateTimeOffset? from,
        DateTimeOffset? to,
        long? beforeId,
        int? limit,
        AuditQueries audit,
        CancellationToken cancellationToken)
    {
        var page = await audit.PageAsync(new AuditFilter(actor, action, targetType, targetId, from, to, beforeId, limit), cancellationToken);
        return page.IsValid ? TypedResults.Ok(page.Value!) : AdminProblems.Invalid(page.Errors);
    }
}
