using CorpNotifier.Admin;
using Microsoft.AspNetCore.WebUtilities;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The event page's actions on a parked event — re-run, discard — as form posts to their own
/// addresses, authorized like the API's (operators and admins; anyone else gets 403 and nothing
/// changes), with an anti-forgery token, through the same <see cref="ParkedEventOperations"/>.
/// Each answers with a redirect to the event page that says what happened (post/redirect/get).
/// </summary>
public static class EventActions
{
    public static RouteGroupBuilder MapEventActions(this RouteGroupBuilder console)
    {
        var actions = console.MapGroup("/events/{eventId}")
            .RequireAuthorization(ConsoleAuth.Policies.Operate)
            .RequireAntiforgery();
        actions.MapPost("/rerun", (string eventId, ParkedEventOperations operations, HttpContext http) =>
            RespondAsync(eventId, "rerun", operations.RerunAsync(eventId, Actor.From(http.User), http.RequestAborted)));
        actions.MapPost("/discard", (string eventId, ParkedEventOperations operations, HttpContext http) =>
            RespondAsync(eventId, "discarded", operations.DiscardAsync(eventId, Actor.From(http.User), http.RequestAborted)));
        return console;
    }

    /// <summary>The event page, saying what was done, or naming why not (the page words it in its language).</summary>
    private static async Task<IResult> RespondAsync(string eventId, string done, Task<EventOperationResult> operation) => await operation switch
    {
        EventOperationResult.Done => Redirect(eventId, "done", done),
        EventOperationResult.Conflict conflict => Redirect(eventId, "problem", EventWords.Of(conflict.Why)),
        EventOperationResult.NotFound => Redirect(eventId, "problem", "not_found"),
        EventOperationResult.NotSaved => Redirect(eventId, "problem", "not_saved"),
        EventOperationResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
        _ => Results.StatusCode(StatusCodes.Status500InternalServerError),
    };

    private static IResult Redirect(string eventId, string key, string value) =>
        Results.LocalRedirect(QueryHelpers.AddQueryString($"/admin/events/{Uri.EscapeDataString(eventId)}", key, value));
}
