using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>A notice as the API shows it.</summary>
public sealed record NoticeView(
    long Id,
    string Kind,
    string Status,
    string Origin,
    string? ClientId,
    string? ContractId,
    DateTimeOffset SendAt,
    DateTimeOffset? SentAt,
    int Attempts,
    string? ReasonCode,
    string? Reason,
    string? EventId,
    string? DequeuedByEventId,
    string? DequeuedBy,
    IReadOnlyList<string> SentTo,
    string? Slug,
    string? ProviderMessageId,
    long? ResendOfId,
    JsonElement Args,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static NoticeView From(Notice n) => new(
        n.Id,
        n.Kind,
        WireName.Of(n.Status),
        WireName.Of(n.Origin),
        n.ClientId,
        n.ContractId,
        n.SendAt,
        n.SentAt,
        n.Attempts,
        n.ReasonCode,
        n.Reason,
        n.EventId,
        n.DequeuedByEventId,
        n.DequeuedBy,
        n.SentTo,
        n.SentSlug,
        n.ProviderMessageId,
        n.ResendOfId,
        JsonSerializer.SerializeToElement(n.Args, AppJson.Options),
        n.CreatedAt,
        n.UpdatedAt);
}

public sealed record TimelineEntryView(DateTimeOffset At, string Type, string? Detail, string? Actor);

public sealed record NoticeDetailView(NoticeView Notice, IReadOnlyList<TimelineEntryView> Timeline);

/// <summary>Read access to notices: a client's history and one notice with its timeline.</summary>
public static class NoticesApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Notices").RequireAuthorization(Auth.Policies.Read);
        group.MapGet("/clients/{clientId}/notices", GetClientNotices)
            .WithName("GetClientNotices")
            .WithSummary("A client's notices, newest first, in every status");
        group.MapGet("/notices/{id:long}", GetNotice)
            .WithName("GetNotice")
            .WithSummary("One notice with its timeline");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<NoticeView>>, ValidationProblem>> GetClientNotices(
        string clientId,
        int? limit,
        NoticesDbContext db,
        CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"must be between 1 and {MaxLimit}"] });
        }

        var notices = await db.Notices.AsNoTracking()
            .Where(n => n.ClientId == clientId)
            .OrderByDescending(n => n.Id)
            .Take(limit ?? DefaultLimit)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<NoticeView>>(notices.Select(NoticeView.From).ToList());
    }

    public static async Task<Results<Ok<NoticeDetailView>, ProblemHttpResult>> GetNotice(
        long id,
        NoticesDbContext db,
        CancellationToken cancellationToken)
    {
        var notice = await db.Notices.AsNoTracking().Include(n => n.Timeline).FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notice is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such letter", detail: $"There is no letter {id}.");
        }

        var timeline = notice.Timeline
            .OrderBy(t => t.At).ThenBy(t => t.Id)
            .Select(t => new TimelineEntryView(t.At, WireName.Of(t.Type), t.Detail, t.Actor))
            .ToList();
        return TypedResults.Ok(new NoticeDetailView(NoticeView.From(notice), timeline));
    }
}
