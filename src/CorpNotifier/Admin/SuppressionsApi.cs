using CorpNotifier.Auth;
using CorpNotifier.Suppressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Admin;

/// <summary>
/// The suppression list: read by viewers; entries added (an address with a note, the client when
/// known) and removed by admins, each change audited in its transaction. docs/suppressions.md.
/// </summary>
public static class SuppressionsApi
{
    /// <summary>The suppression list (<see cref="SuppressionsServiceCollectionExtensions.AddSuppressionList"/>) and the operators' side of it: queries and admin operations.</summary>
    public static IServiceCollection AddSuppressions(this IServiceCollection services)
    {
        services.AddSuppressionList();
        services.AddScoped<SuppressionQueries>();
        services.AddScoped<SuppressionOperations>();
        return services;
    }

    public static IEndpointRouteBuilder MapSuppressionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/suppressions").WithTags("Suppressions");
        group.MapGet("/", GetSuppressions).WithName("GetSuppressions").RequireAuthorization(Policies.Read)
            .WithSummary("Suppressed addresses, newest first; filter by exact address (case-insensitive; erased entries match too), client or reason; page with beforeId");
        group.MapGet("/{id:long}", GetSuppression).WithName("GetSuppression").RequireAuthorization(Policies.Read)
            .WithSummary("One entry: the address (null once erased), why, the letter that caused it, the client, when and by whom");
        group.MapPost("/", AddSuppression).WithName("AddSuppression").RequireAuthorization(Policies.Administer)
            .WithSummary("Suppress an address by hand with a note (and the client if known); 409 when it is on the list already");
        group.MapDelete("/{id:long}", RemoveSuppression).WithName("RemoveSuppression").RequireAuthorization(Policies.Administer)
            .WithSummary("Take an entry off the list: the address gets letters again");
        return app;
    }

    public static async Task<Results<Ok<SuppressionPage>, ValidationProblem>> GetSuppressions(
        string? address,
        string? clientId,
        string? reason,
        long? beforeId,
        int? limit,
        SuppressionQueries suppressions,
        CancellationToken cancellationToken)
    {
        var page = await suppressions.PageAsync(new SuppressionQuery(address, clientId, reason, beforeId, limit), cancellationToken);
        return page.IsValid ? TypedResults.Ok(page.Value!) : AdminProblems.Invalid(page.Errors);
    }

    public static async Task<Results<Ok<SuppressionView>, ProblemHttpResult>> GetSuppression(long id, SuppressionQueries suppressions, CancellationToken cancellationToken) =>
        await suppressions.FindAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view) : NoSuch(id);

    public static async Task<Results<Created<SuppressionView>, ValidationProblem, ProblemHttpResult>> AddSuppression(
        SuppressionBody body,
        HttpContext http,
        SuppressionOperations operations,
        CancellationToken cancellationToken) =>
        await operations.AddAsync(body, Actor.From(http.User), cancellationToken) switch
        {
            SuppressionResult.Done done => TypedResults.Created($"/api/v1/suppressions/{done.Entry.Id}", done.Entry),
            SuppressionResult.Invalid invalid => AdminProblems.Invalid(invalid.ByKey, "The suppression is invalid"),
            SuppressionResult.Duplicate duplicate => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Already suppressed",
                detail: $"The address is on the list already (entry {duplicate.Existing.Id}: {duplicate.Existing.Why}, since {duplicate.Existing.CreatedAt:O}); remove that entry first to change it."),
            var other => Problem(other),
        };

    public static async Task<Results<Ok<SuppressionView>, ProblemHttpResult>> RemoveSuppression(
        long id,
        HttpContext http,
        SuppressionOperations operations,
        CancellationToken cancellationToken) =>
        await operations.RemoveAsync(id, Actor.From(http.User), cancellationToken) switch
        {
            SuppressionResult.Done done => TypedResults.Ok(done.Entry),
            var other => Problem(other),
        };

    private static ProblemHttpResult Problem(SuppressionResult result) => result switch
    {
        SuppressionResult.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: forbidden.Message),
        SuppressionResult.NotFound notFound => NoSuch(notFound.Id),
        SuppressionResult.NotSaved notSaved => AdminProblems.NotSaved(notSaved.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
    };

    private static ProblemHttpResult NoSuch(long id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No such suppression",
        detail: $"There is no suppression {id}.");
}
