using System.Globalization;
using CorpNotifier.Admin;
using CorpNotifier.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The error queue page's actions — replay (operators and admins), purge (admins) — as form posts
/// with the session's anti-forgery token, each first confirmed on the page, through the same
/// <see cref="ErrorQueueOperations"/> (and so the same code as the <c>errors</c> commands), each
/// audited. Each answers with a redirect to the queue's page that says what happened.
/// </summary>
public static class ErrorQueueActions
{
    public static RouteGroupBuilder MapErrorQueueActions(this RouteGroupBuilder console)
    {
        var queue = console.MapGroup("/errors/{queue}").RequireAntiforgery();
        queue.MapPost("/replay", ReplayAsync).RequireAuthorization(ConsoleAuth.Policies.Operate);
        queue.MapPost("/purge", PurgeAsync).RequireAuthorization(ConsoleAuth.Policies.Administer);
        return console;
    }

    private static async Task<IResult> ReplayAsync(string queue, HttpContext http, ErrorQueueOperations operations)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var messageId = form["messageId"].ToString();
        var result = await operations.ReplayAsync(queue, messageId.Length == 0 ? null : [messageId], Actor.From(http.User), http.RequestAborted);
        return Respond(queue, result);
    }

    private static async Task<IResult> PurgeAsync(string queue, HttpContext http, ErrorQueueOperations operations)
    {
        // As the errors purge command asks: the queue's name, typed, confirms it.
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (!string.Equals(form["confirmation"].ToString().Trim(), queue, StringComparison.Ordinal))
        {
            return Page(queue, ("confirm", "purge"), ("problem", "not_confirmed"));
        }

        return Respond(queue, await operations.PurgeAsync(queue, Actor.From(http.User), http.RequestAborted));
    }

    private static IResult Respond(string queue, ErrorQueueResult result) => result switch
    {
        ErrorQueueResult.Replayed replayed => Page(
            queue,
            ("done", "replayed"),
            ("moved", Count(replayed.Result.Moved.Count)),
            ("read", Count(replayed.Result.Read)),
            ("missing", replayed.Result.Missing.Count == 0 ? null : string.Join(", ", replayed.Result.Missing)),
            ("audited", replayed.Audited ? null : "no")),
        ErrorQueueResult.Purged purged => Page(
            queue,
            ("done", "purged"),
            ("moved", Count(purged.Result.Removed.Count)),
            ("audited", purged.Audited ? null : "no")),
        ErrorQueueResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
        ErrorQueueResult.Refused refused => Page(
            queue,
            ("problem", WireName.Of(refused.Problem)),
            ("detail", refused.Problem is ErrorQueueProblem.Failed or ErrorQueueProblem.Unreachable ? refused.Message : null)),
        _ => Results.StatusCode(StatusCodes.Status500InternalServerError),
    };

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static IResult Page(string queue, params (string Name, string? Value)[] query) =>
        Results.LocalRedirect(QueryHelpers.AddQueryString(
            $"/admin/errors/{Uri.EscapeDataString(queue)}",
            query.Where(q => q.Value is not null).Select(q => new KeyValuePair<string, string?>(q.Name, q.Value))));
}
