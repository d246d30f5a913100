using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Admin;

/// <summary>
/// Parked events for operators: the events waiting for a client profile or a contract not known
/// yet, and those that expired waiting; re-run one (its data may have come) or discard it.
/// </summary>
public static class ParkedEventsApi
{
    public static IEndpointRouteBuilder MapParkedEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/events", GetParkedEvents).WithName("GetParkedEvents").WithTags("Events")
            .RequireAuthorization(Policies.Read)
            .WithSummary("Parked events: waiting for a client profile or contract not known yet, or expired waiting; oldest received first, keyset-paginated");

        var operate = app.MapGroup("/api/v1/events/{eventId}").WithTags("Events").RequireAuthorization(Policies.Operate);
        operate.MapPost("/rerun", Rerun).WithName("RerunEvent")
            .WithSummary("Run a waiting or expired event again now that its data may have come (409 when it is still missing: the event keeps its state)");
        operate.MapPost("/discard", Discard).WithName("DiscardEvent")
            .WithSummary("Discard a waiting or expired event: it ends discarded and is never processed");
        return app;
    }

    public static async Task<Results<Ok<ParkedEventPage>, ValidationProblem>> GetParkedEvents(
        string? status,
        string? clientId,
        string? order,
        string? cursor,
        int? limit,
        ParkedEventQueries queries,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = ParkedEventFilter.ParseStatus(status, errors);
        var newestFirst = ParkedEventFilter.ParseOrder(order, errors);
        ParkedEventCursor? after = null;
        if (cursor is not null && (after = ParkedEventQueries.ReadCursor(cursor)) is null)
        {
            errors["cursor"] = ["is not a cursor this API returned"];
        }

        if (limit is < 1 or > ParkedEventQueries.MaxLimit)
        {
            errors["limit"] = [$"must be between 1 and {ParkedEventQueries.MaxLimit}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await queries.FindAsync(
            new ParkedEventFilter { Status = statusFilter, ClientId = clientId, NewestFirst = newestFirst, After = after, Limit = limit ?? ParkedEventQueries.DefaultLimit },
            cancellationToken);
        return TypedResults.Ok(new ParkedEventPage(page.Items, page.Next is { } next ? ParkedEventQueries.WriteCursor(next) : null));
    }

    public static async Task<Results<Ok<EventDetailView>, ProblemHttpResult>> Rerun(string eventId, ParkedEventOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await operations.RerunAsync(eventId, Actor.From(http.User), cancellationToken));

    public static async Task<Results<Ok<EventDetailView>, ProblemHttpResult>> Discard(string eventId, ParkedEventOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await operations.DiscardAsync(eventId, Actor.From(http.User), cancellationToken));

    /// <summary>The event as it is now, or the refusal as problem details: 403, 404, 409, or a 5xx when nothing could be saved.</summary>
    private static Results<Ok<EventDetailView>, ProblemHttpResult> Answer(EventOperationResult result) => result switch
    {
        EventOperationResult.Done done => TypedResults.Ok(done.Event),
        EventOperationResult.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: forbidden.Message),
        EventOperationResult.NotFound notFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: notFound.Message),
        EventOperationResult.Conflict conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible in the event's state", detail: conflict.Message),
        EventOperationResult.NotSaved notSaved => AdminProblems.NotSaved(notSaved.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
    };
}
