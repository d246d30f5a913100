using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CorpNotifier.Admin;

/// <summary>Per-notice settings: read by viewers, changed by admins with optimistic concurrency (ETag / If-Match).</summary>
public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/settings/notices").WithTags("Settings");
        group.MapGet("/", GetAll).WithName("GetAllNoticeSettings").RequireAuthorization(Policies.Read)
            .WithSummary("Every notice's settings with its version");
        group.MapGet("/{kind}", Get).WithName("GetNoticeSettings").RequireAuthorization(Policies.Read)
            .WithSummary("One notice's settings; the ETag is its version");
        group.MapGet("/{kind}/history", History).WithName("GetNoticeSettingsHistory").RequireAuthorization(Policies.Read)
            .WithSummary("Every version of one notice's settings, newest first, each in the settings' own shape");
        group.MapPut("/{kind}", Put).WithName("PutNoticeSettings").RequireAuthorization(Policies.Administer)
            .WithSummary("Change one notice's settings; If-Match with the current ETag is required (412 when stale)");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<NoticeSettingsView>>> GetAll(SettingsQueries settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.AllAsync(cancellationToken));

    public static async Task<Results<Ok<NoticeSettingsView>, ProblemHttpResult>> Get(string kind, SettingsQueries settings, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await settings.GetAsync(kind, cancellationToken) is not { } view)
        {
            return UnknownKind(SettingsQueries.UnknownKind(kind));
        }

        response.Headers.ETag = ETag(view.Version);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<IReadOnlyList<SettingsHistoryEntry>>, ProblemHttpResult>> History(string kind, SettingsQueries settings, CancellationToken cancellationToken) =>
        await settings.HistoryAsync(kind, cancellationToken) is { } history
            ? TypedResults.Ok(history)
            : UnknownKind(SettingsQueries.UnknownKind(kind));

    public static async Task<Results<Ok<NoticeSettingsView>, ValidationProblem, ProblemHttpResult>> Put(
        string kind,
        NoticeSettingsBody body,
        HttpRequest request,
        HttpResponse response,
        SettingsOperations operations,
        CancellationToken cancellationToken)
    {
        int? expected = null;
        if (request.Headers.TryGetValue(HeaderNames.IfMatch, out var ifMatch) && ifMatch.Count > 0)
        {
            // Versions start at 1: an ETag that does not parse matches none, and is answered as stale.
            expected = TryParseETag(ifMatch.ToString(), out var version) ? version : 0;
        }

        switch (await operations.UpdateAsync(kind, body, expected, Actor.From(request.HttpContext.User), cancellationToken))
        {
            case SettingsResult.Saved saved:
                response.Headers.ETag = ETag(saved.Settings.Version);
                return TypedResults.Ok(saved.Settings);
            case SettingsResult.UnknownKind unknown:
                return UnknownKind(unknown.Message);
            case SettingsResult.VersionRequired required:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status428PreconditionRequired,
                    title: "If-Match required",
                    detail: $"Send the ETag of the settings you changed in If-Match (current: {ETag(required.Current.Version)}).");
            case SettingsResult.Stale stale:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status412PreconditionFailed,
                    title: "The settings changed meanwhile",
                    detail: $"Someone changed these settings; they are at {ETag(stale.Current.Version)} now. Reload them and apply your change again.");
            case SettingsResult.Invalid invalid:
                return AdminProblems.Invalid(invalid.ByKey, "The settings are invalid");
            case SettingsResult.Forbidden forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: forbidden.Message);
            case SettingsResult.NotSaved notSaved:
                return AdminProblems.NotSaved(notSaved.Message);
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static string ETag(int version) => $"\"{version}\"";

    private static bool TryParseETag(string value, out int version)
    {
        var text = value.Trim();
        text = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        return int.TryParse(text.Trim('"'), out version);
    }

    private static ProblemHttpResult UnknownKind(string message) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No such notice kind",
        detail: message);
}
