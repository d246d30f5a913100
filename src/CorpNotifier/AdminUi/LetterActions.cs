using CorpNotifier.Admin;
using Microsoft.AspNetCore.WebUtilities;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The letter page's actions — cancel, restore, re-send — as form posts to their own addresses,
/// authorized like the API's (operators and admins; anyone else gets 403 and nothing changes),
/// with an anti-forgery token, through the same <see cref="NoticeOperations"/>. Each answers with
/// a redirect to the letter page that says what happened (post/redirect/get).
/// </summary>
public static class LetterActions
{
    public static RouteGroupBuilder MapLetterActions(this RouteGroupBuilder console)
    {
        var actions = console.MapGroup("/letters/{id:long}")
            .RequireAuthorization(ConsoleAuth.Policies.Operate)
            .RequireAntiforgery();
        actions.MapPost("/cancel", (long id, NoticeOperations operations, HttpContext http) =>
            RespondAsync(id, "cancelled", operations.CancelAsync(id, Actor.From(http.User), http.RequestAborted)));
        actions.MapPost("/restore", (long id, NoticeOperations operations, HttpContext http) =>
            RespondAsync(id, "restored", operations.RestoreAsync(id, Actor.From(http.User), http.RequestAborted)));
        actions.MapPost("/resend", (long id, NoticeOperations operations, HttpContext http) =>
            RespondAsync(id, "resent", operations.ResendAsync(id, Actor.From(http.User), http.RequestAborted)));
        return console;
    }

    private static async Task<IResult> RespondAsync(long id, string done, Task<OperationResult> operation) => await operation switch
    {
        OperationResult.Done result => Results.LocalRedirect(QueryHelpers.AddQueryString($"/admin/letters/{result.Notice.Id}", "done", done)),
        OperationResult.Conflict conflict => Results.LocalRedirect(QueryHelpers.AddQueryString($"/admin/letters/{id}", "problem", conflict.Message)),
        OperationResult.NotFound notFound => Results.LocalRedirect(QueryHelpers.AddQueryString($"/admin/letters/{id}", "problem", notFound.Message)),
        OperationResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
        OperationResult.NotSaved notSaved => Results.LocalRedirect(QueryHelpers.AddQueryString($"/admin/letters/{id}", "problem", notSaved.Message)),
        _ => Results.StatusCode(StatusCodes.Status500InternalServerError),
    };
}

/// <summary>A console form post must carry the anti-forgery token of the signed-in session; without it, 400 and nothing changes.</summary>
public static class AntiforgeryCheck
{
    public static TBuilder RequireAntiforgery<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "The form is stale",
                    detail: "The form's anti-forgery token is missing or belongs to another session; reload the page and try again.");
            }

            return await next(context);
        });
}
