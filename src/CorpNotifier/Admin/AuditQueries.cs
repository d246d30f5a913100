using System.Text.Json;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

public sealed record AuditEntryView(long Id, DateTimeOffset At, string Actor, string Role, string Action, string TargetType, string TargetId, JsonElement? Before, JsonElement? After);

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, long? NextBeforeId);

/// <summary>Which audit records: by actor, action, target, time, and the keyset page (older than <see cref="BeforeId"/>).</summary>
public sealed record AuditFilter(
    string? Actor = null,
    string? Action = null,
    string? TargetType = null,
    string? TargetId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? BeforeId = null,
    int? Limit = null);

/// <summary>The audit log as operators read it, for the admin API and the console alike: newest first.</summary>
public sealed class AuditQueries(NoticesDbContext db)
{
    public const int DefaultLimit = 100;

    public async Task<Checked<AuditPage>> PageAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Limit is < 1 or > NoticeQueries.MaxLimit)
        {
            return Checked<AuditPage>.Invalid("limit", $"must be between 1 and {NoticeQueries.MaxLimit}");
        }

        var take = filter.Limit ?? DefaultLimit;
        var query = db.Audit.AsNoTracking();
        query = filter.Actor is null ? query : query.Where(a => a.Actor == filter.Actor);
        query = filter.Action is null ? query : query.Where(a => a.Action == filter.Action);
        query = filter.TargetType is null ? query : query.Where(a => a.TargetType == filter.TargetType);
        query = filter.TargetId is null ? query : query.Where(a => a.TargetId == filter.TargetId);
        query = filter.From is null ? query : query.Where(a => a.At >= filter.From);
        query = filter.To is null ? query : query.Where(a => a.At < filter.To);
        query = filter.BeforeId is null ? query : query.Where(a => a.Id < filter.BeforeId);
        var page = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = page.Take(take).Select(a => new AuditEntryView(
            a.Id, a.At, a.Actor, a.Role, a.Action, a.TargetType, a.TargetId,
            a.Before is null ? null : JsonSerializer.Deserialize<JsonElement>(a.Before),
            a.After is null ? null : JsonSerializer.Deserialize<JsonElement>(a.After))).ToList();
        return Checked<AuditPage>.Valid(new AuditPage(items, page.Count > take ? items[^1].Id : null));
    }
}
