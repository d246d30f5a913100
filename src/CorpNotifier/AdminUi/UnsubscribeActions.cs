using CorpNotifier.Admin;
using CorpNotifier.Rules;
using Microsoft.AspNetCore.WebUtilities;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The console's unsubscribes page's actions — unsubscribe an address from an optional category,
/// subscribe it again (admins) — as form posts with the session's anti-forgery token, through
/// <see cref="UnsubscribeOperations"/> like the API (audited in the same transaction). Each answers
/// with a redirect to the page, filtered to the address, that says what happened.
/// </summary>
public static class UnsubscribeActions
{
    public const string Page = "/admin/unsubscribes";

    // An unknown category is echoed back in the message; a form is not the place for a long one.
    private const int EchoedCategoryLength = 64;

    public static IEndpointRouteBuilder MapUnsubscribeConsoleActions(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup(Page).ExcludeFromDescription().RequireAntiforgery();
        console.MapPost("/unsubscribe", UnsubscribeAsync).RequireAuthorization(ConsoleAuth.Policies.Administer);
        console.MapPost("/resubscribe", ResubscribeAsync).RequireAuthorization(ConsoleAuth.Policies.Administer);
        return app;
    }

    private static async Task<IResult> UnsubscribeAsync(HttpContext http, UnsubscribeOperations operations)
    {
        var change = await ChangeOfAsync(http);
        return await operations.UnsubscribeAsync(change, Actor.From(http.User), http.RequestAborted) switch
        {
            UnsubscribeResult.Done { Changed: true } => Redirect(change, ("done", "unsubscribed")),
            UnsubscribeResult.Done => Redirect(change, ("problem", "already")),
            UnsubscribeResult.Invalid invalid => Invalid(change, invalid),
            UnsubscribeResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Redirect(change, ("problem", "not_saved")),
        };
    }

    private static async Task<IResult> ResubscribeAsync(HttpContext http, UnsubscribeOperations operations)
    {
        var change = await ChangeOfAsync(http);
        return await operations.ResubscribeAsync(change, Actor.From(http.User), http.RequestAborted) switch
        {
            UnsubscribeResult.Done { Changed: true } => Redirect(change, ("done", "resubscribed")),
            UnsubscribeResult.Done => Redirect(change, ("problem", "not_unsubscribed")),
            UnsubscribeResult.Invalid invalid => Invalid(change, invalid),
            UnsubscribeResult.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Redirect(change, ("problem", "not_saved")),
        };
    }

    private static async Task<UnsubscribeChange> ChangeOfAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        return new UnsubscribeChange(form["address"].ToString(), form["category"].ToString(), form["clientId"].ToString(), form["reason"].ToString());
    }

    /// <summary>A bad address comes back without the address (it goes to no filter); a bad category says whether it is mandatory or unknown.</summary>
    private static IResult Invalid(UnsubscribeChange change, UnsubscribeResult.Invalid invalid)
    {
        if (invalid.Errors.Any(e => e.Key == "address"))
        {
            return Redirect(change with { Address = null }, ("problem", "invalid_address"));
        }

        var category = change.Category?.Trim() ?? "";
        return NoticeCategory.Named(category) is { Mandatory: true }
            ? Redirect(change, ("problem", "mandatory"))
            : Redirect(change with { Category = category.Length > EchoedCategoryLength ? category[..EchoedCategoryLength] : category }, ("problem", "unknown_category"));
    }

    private static IResult Redirect(UnsubscribeChange change, (string Name, string Value) outcome) =>
        Results.LocalRedirect(QueryHelpers.AddQueryString(
            Page,
            new (string Name, string? Value)[]
            {
                outcome,
                ("category", change.Category),
                ("address", change.Address?.Trim()),
            }
            .Where(q => !string.IsNullOrEmpty(q.Value))
            .Select(q => new KeyValuePair<string, string?>(q.Name, q.Value))));
}
