using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CorpNotifier.Admin;

/// <summary>
/// Business calendars: read by viewers; a year edited (ETag / If-Match) or imported as a file by admins.
/// Either answers the saved year and how many pending letters of the country were re-planned.
/// </summary>
public static class CalendarsApi
{
    /// <summary>The header an admin may give the reason of an edit or import in; it is kept in the audit record.</summary>
    public const string ReasonHeader = "X-Reason";

    public static IEndpointRouteBuilder MapCalendarsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/calendars").WithTags("Calendars");
        group.MapGet("/", GetAll).WithName("GetCalendars").RequireAuthorization(Policies.Read)
            .WithSummary("Every country with a calendar (data or the PublicHoliday package), and those with pending letters and none");
        group.MapGet("/{country}/{year:int}", Get).WithName("GetCalendarYear").RequireAuthorization(Policies.Read)
            .WithSummary("One country's year as in force; the ETag is its version (0: never edited)");
        group.MapPut("/{country}/{year:int}", Put).WithName("PutCalendarYear").RequireAuthorization(Policies.Administer)
            .WithSummary("Replace one country's year; If-Match with the current ETag is required (412 when stale); re-plans the country's pending letters");
        group.MapPost("/import", Import).WithName("ImportCalendarYear").RequireAuthorization(Policies.Administer)
            .Accepts<CalendarFileExample>("application/json")
            .WithSummary("A year as a file in the shipped format (country, year, source, daysOff, workingDays), the request's JSON body; replaces that year whatever its version");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<CalendarCountryView>>> GetAll(CalendarQueries calendars, CancellationToken cancellationToken) =>
        TypedResults.Ok(await calendars.CountriesAsync(cancellationToken));

    public static async Task<Results<Ok<CalendarYearView>, ProblemHttpResult>> Get(string country, int year, CalendarQueries calendars, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await calendars.YearAsync(country, year, cancellationToken) is not { } view)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No such calendar",
                detail: $"'{country}' {year} is not a calendar: the country is a lowercase ISO 3166 alpha-3 code (rus), the year {CalendarKeys.FirstYear}–{CalendarKeys.LastYear}.");
        }

        response.Headers.ETag = ETag(view.Version);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<CalendarSaved>, ValidationProblem, ProblemHttpResult>> Put(
        string country,
        int year,
        CalendarYearBody body,
        HttpRequest request,
        HttpResponse response,
        CalendarOperations operations,
        CancellationToken cancellationToken)
    {
        var actor = Actor.From(request.HttpContext.User);
        if (!actor.MayAdminister)
        {
            return Forbidden(CalendarOperations.AdminsOnly);
        }

        if (!request.Headers.TryGetValue(HeaderNames.IfMatch, out var ifMatch) || ifMatch.Count == 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status428PreconditionRequired,
                title: "If-Match required",
                detail: "Send the ETag of the calendar year you changed in If-Match (GET it first; \"0\" for a year never edited).");
        }

        // An ETag that does not parse matches no version, and is answered as stale.
        var expected = TryParseETag(ifMatch.ToString(), out var version) ? version : -1;
        return Answer(await operations.SaveAsync(country, year, body, expected, actor, Reason(request), cancellationToken), response);
    }

    public static async Task<Results<Ok<CalendarSaved>, ValidationProblem, ProblemHttpResult>> Import(
        HttpRequest request,
        HttpResponse response,
        CalendarOperations operations,
        CancellationToken cancellationToken)
    {
        var actor = Actor.From(request.HttpContext.User);
        if (!actor.MayAdminister)
        {
            return Forbidden(CalendarOperations.AdminsOnly);
        }

        if (!request.HasJsonContentType())
        {
            return AdminProblems.Invalid(
                new Dictionary<string, string[]> { ["file"] = ["send the calendar file as the request's body, Content-Type: application/json"] },
                "The calendar file is invalid");
        }

        return Answer(await operations.ImportAsync(request.Body, actor, Reason(request), cancellationToken), response);
    }

    private static Results<Ok<CalendarSaved>, ValidationProblem, ProblemHttpResult> Answer(CalendarResult result, HttpResponse response)
    {
        switch (result)
        {
            case CalendarResult.Done done:
                response.Headers.ETag = ETag(done.Year.Version);
                return TypedResults.Ok(new CalendarSaved(done.Year, done.Replanned));
            case CalendarResult.Invalid invalid:
                return AdminProblems.Invalid(invalid.ByKey, "The calendar is invalid");
            case CalendarResult.Stale stale:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status412PreconditionFailed,
                    title: "The calendar changed meanwhile",
                    detail: $"{stale.Message} (current: {ETag(stale.ActualVersion)})");
            case CalendarResult.Forbidden forbidden:
                return Forbidden(forbidden.Message);
            case CalendarResult.NotSaved notSaved:
                return AdminProblems.NotSaved(notSaved.Message);
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static ProblemHttpResult Forbidden(string message) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: message);

    private static string? Reason(HttpRequest request) =>
        request.Headers.TryGetValue(ReasonHeader, out var reason) && !string.IsNullOrWhiteSpace(reason) ? Truncate(reason.ToString().Trim()) : null;

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];

    private static string ETag(int version) => $"\"{version}\"";

    private static bool TryParseETag(string value, out int version)
    {
        var text = value.Trim();
        text = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        return int.TryParse(text.Trim('"'), out version) && version >= 0;
    }

    /// <summary>The API's answer to an edit or import: the year as saved, and the pending letters moved to its moments.</summary>
    public sealed record CalendarSaved(CalendarYearView Year, int Replanned);

    /// <summary>The import's body, for the API's document: the shipped calendar file format.</summary>
    public sealed record CalendarFileExample(string Country, int Year, string Source, IReadOnlyList<CalendarDayBody> DaysOff, IReadOnlyList<CalendarDayBody> WorkingDays);
}
