using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Admin;

/// <summary>Unsubscribes from optional categories: read by viewers (by address or client), set and unset by admins, audited.</summary>
public static class UnsubscribesApi
{
    public static IEndpointRouteBuilder MapUnsubscribesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/unsubscribes").WithTags("Unsubscribes");
        group.MapGet("/", List).WithName("GetUnsubscribes").RequireAuthorization(Policies.Read)
            .WithSummary("Addresses unsubscribed from optional categories, by address and/or client, newest first (at most 500)");
        group.MapPut("/", Set).WithName("PutUnsubscribe").RequireAuthorization(Policies.Administer)
            .WithSummary("Unsubscribe an address from an optional category (onboarding, reminders, trial_follow_ups); idempotent, audited");
        group.MapPost("/resubscribe", Unset).WithName("Resubscribe").RequireAuthorization(Policies.Administer)
            .WithSummary("Subscribe an address to an optional category again; idempotent, audited");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<UnsubscribeView>>> List(string? address, string? clientId, UnsubscribeOperations operations, CancellationToken cancellationToken) =>
        TypedResults.Ok(await operations.ListAsync(address, clientId, cancellationToken));

    public static async Task<Results<Ok<UnsubscribeChanged>, ValidationProblem, ProblemHttpResult>> Set(UnsubscribeChange body, HttpRequest request, UnsubscribeOperations operations, CancellationToken cancellationToken) =>
        Answer(await operations.UnsubscribeAsync(body, Actor.From(request.HttpContext.User), cancellationToken));

    public static async Task<Results<Ok<UnsubscribeChanged>, ValidationProblem, ProblemHttpResult>> Unset(UnsubscribeChange body, HttpRequest request, UnsubscribeOperations operations, CancellationToken cancellationToken) =>
        Answer(await operations.ResubscribeAsync(body, Actor.From(request.HttpContext.User), cancellationToken));

    private static Results<Ok<UnsubscribeChanged>, ValidationProblem, ProblemHttpResult> Answer(UnsubscribeResult result) => result switch
    {
        UnsubscribeResult.Done done => TypedResults.Ok(new UnsubscribeChanged(done.Changed, done.Unsubscribe)),
        UnsubscribeResult.Invalid invalid => AdminProblems.Invalid(invalid.ByKey, "The unsubscribe is invalid"),
        UnsubscribeResult.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: forbidden.Message),
        UnsubscribeResult.NotSaved notSaved => AdminProblems.NotSaved(notSaved.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
    };
}

/// <summary>What a change did: <c>changed</c> false when it was so already; the unsubscribe as it stands (null: subscribed).</summary>
public sealed record UnsubscribeChanged(bool Changed, UnsubscribeView? Unsubscribe);
