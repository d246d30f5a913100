using CorpNotifier.Admin;
using CorpNotifier.Suppressions;
using Microsoft.AspNetCore.WebUtilities;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The console's suppressions page's actions — add, remove (admins) — as form posts with the
/// session's anti-forgery token, through <see cref="SuppressionOperations"/> like the API. Each
/// answers with a redirect to the page that says what happened.
/// </summary>
public static class SuppressionActions
{
    public const string Page = "/admin/suppressions";

    /// <summary>The list's admin API (<c>/api/v1/suppressions</c>) and the console's add and remove forms.</summary>
    public static IEndpointRouteBuilder MapSuppressions(this IEndpointRouteBuilder app)
    {
        app.MapSuppressionsApi();
        return app.MapSuppressionConsoleActions();
    }

    public static IEndpointRouteBuilder MapSuppressionConsoleActions(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup(Page).ExcludeFromDescription().RequireAntiforgery();
        console.MapPost("/add", AddAsync).RequireAuthorization(ConsoleAuth.Policies.Administer);
        console.MapPost("/{id:long}/remove", RemoveAsync).RequireAuthorization(ConsoleAuth.Policies.Administer);
        return app;
    }

    private static async Task<IResult> AddAsync(HttpContext http, SuppressionOperations operations)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var body = new SuppressionBody(form["address"].ToString(), form["note"].ToString(), form["clientId"].ToString());
        return await operations.AddAsync(body, Actor.From(http.User), http.RequestAborted) switch
        {
            SuppressionResult.Done done => Redirect(("done", "added"), ("id", done.Entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            SuppressionResult.Invalid invalid => Redirect(("problem", "invalid"), ("field", invalid.Errors[0].Key)),
            SuppressionResult.Duplicate duplicate => Redirect(("problem", "duplicate"), ("id", duplicate.Existing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            SuppressionResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Redirect(("problem", "not_saved")),
        };
    }

    private static async Task<IResult> RemoveAsync(long id, HttpContext http, SuppressionOperations operations) =>
        await operations.RemoveAsync(id, Actor.From(http.User), http.RequestAborted) switch
        {
            SuppressionResult.Done => Redirect(("done", "removed"), ("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            SuppressionResult.NotFound => Redirect(("problem", "not_found"), ("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            SuppressionResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Redirect(("problem", "not_saved")),
        };

    private static IResult Redirect(params (string Name, string? Value)[] query) =>
        Results.LocalRedirect(QueryHelpers.AddQueryString(
            Page,
            query.Where(q => q.Value is not null).Select(q => new KeyValuePair<string, string?>(q.Name, q.Value))));
}
