using CorpNotifier.Admin;
using CorpNotifier.AdminUi;
using Microsoft.AspNetCore.WebUtilities;

namespace CorpNotifier.Privacy;

/// <summary>
/// The client page's "Erase client" action as a form post (admins only, with the session's
/// anti-forgery token), through the same <see cref="ClientEraser"/> as the API; it answers with a
/// redirect to the client page that says what happened (post/redirect/get).
/// </summary>
public static class ErasureActions
{
    public static IEndpointRouteBuilder MapErasureActions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/clients/{clientId}/erase", EraseAsync)
            .RequireAuthorization(ConsoleAuth.Policies.Administer)
            .RequireAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> EraseAsync(string clientId, HttpContext http, ClientEraser eraser)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var request = new ErasureRequest(form["why"].ToString(), form["cancelPending"].ToString() is "on" or "true");
        var page = $"/admin/clients/{Uri.EscapeDataString(clientId)}";
        return await eraser.EraseAsync(clientId, request, Actor.From(http.User), http.RequestAborted) switch
        {
            ErasureResult.Done => Results.LocalRedirect(QueryHelpers.AddQueryString(page, "done", "erased")),
            ErasureResult.Pending => Results.LocalRedirect(QueryHelpers.AddQueryString(QueryHelpers.AddQueryString(page, "problem", "pending"), "confirm", "erase")),
            ErasureResult.Invalid => Results.LocalRedirect(QueryHelpers.AddQueryString(QueryHelpers.AddQueryString(page, "problem", "why"), "confirm", "erase")),
            ErasureResult.NotSaved => Results.LocalRedirect(QueryHelpers.AddQueryString(page, "problem", "not_saved")),
            ErasureResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Results.StatusCode(StatusCodes.Status500InternalServerError),
        };
    }
}
