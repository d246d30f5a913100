using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Admin;

/// <summary>Read access to notices: a client's history and one notice with its timeline.</summary>
public static class NoticesApi
{
    public const int DefaultLimit = NoticeQueries.DefaultLimit;
    public const int MaxLimit = NoticeQueries.MaxLimit;

    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Notices").RequireAuthorization(Policies.Read);
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
        NoticeQueries queries,
        CancellationToken cancellationToken)
    {
        var notices = await queries.ClientNoticesAsync(clientId, limit, cancellationToken);
        return notices.IsValid ? TypedResults.Ok(notices.Value!) : AdminProblems.Invalid(notices.Errors);
    }

    public static async Task<Results<Ok<NoticeDetailView>, ProblemHttpResult>> GetNotice(
        long id,
        NoticeQueries queries,
        CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } notice
            ? TypedResults.Ok(notice)
            : AdminProblems.NoSuchNotice(id);
}
