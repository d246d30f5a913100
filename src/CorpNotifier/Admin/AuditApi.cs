using System.Text.Json;
using CorpNotifier.Auth;
using CorpNotifier.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

public sealed record AuditEntryView(long Id, DateTimeOffset At, string Actor, string Role, string Action, string TargetType, string TargetId, JsonElement? Before, JsonElement? After);

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, long? NextBeforeId);

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
        NoticesDbContext db,
        CancellationToken cancellationToken)
    {
        if (limit is < 1 or > AdminNoticesApi.MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"must be between 1 and {AdminNoticesApi.MaxLimit}"] });
        }

        var take = limit ?? 100;
        var query = db.Audit.AsNoTracking();
        query = actor is null ? query : query.Where(a => a.Actor == actor);
        query = action is null ? query : query.Where(a => a.Action == action);
        query = targetType is null ? query : query.Where(a => a.TargetType == targetType);
        query = targetId is null ? query : query.Where(a => a.TargetId == targetId);
        query = from is null ? query : query.Where(a => a.At >= from);
        query = to is null ? query : query.Where(a => a.At < to);
        query = beforeId is null ? query : query.Where(a => a.Id < beforeId);
        var page = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = page.Take(take).Select(a => new AuditEntryView(
            a.Id, a.At, a.Actor, a.Role, a.Action, a.TargetType, a.TargetId,
            a.Before is null ? null : JsonSerializer.Deserialize<JsonElement>(a.Before),
            a.After is null ? null : JsonSerializer.Deserialize<JsonElement>(a.After))).ToList();
        return TypedResults.Ok(new AuditPage(items, page.Count > take ? items[^1].Id : null));
    }
}
