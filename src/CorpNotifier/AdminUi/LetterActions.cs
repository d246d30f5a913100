using CorpNotifier.Admin;
using CorpNotifier.Hosting;
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

    /// <summary>The letter page, saying what was done, or naming why not (the page words it in its language).</summary>
    private static async Task<IResult> RespondAsync(long id, string done, Task<OperationResult> operation) => await operation switch
    {
        OperationResult.Done result => Results.LocalRedirect(QueryHelpers.AddQueryString($"/admin/letters/{result.Notice.Id}", "done", done)),
        OperationResult.Conflict conflict => Refused(id, WireName.Of(conflict.Why)),
        OperationResult.NotFound => Refused(id, "not_found"),
        OperationResult.NotSaved => Refused(id, "not_saved"),
        OperationResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
        _ => Results.StatusCode(StatusCodes.Status500InternalServerError),
    };

    private static IResult Refused(long id, string why) => Results.LocalRedirect(QueryHelpers.AddQueryString($"/admin/letters/{id}", "problem", why));
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
