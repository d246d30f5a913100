using System.Text;
using CorpNotifier.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CorpNotifier.Admin;

/// <summary>Notices for operators: history with filters, agenda, events, and the actions on notices.</summary>
public static class AdminNoticesApi
{
    public const int MaxLimit = NoticeQueries.MaxLimit;
    public const int MaxAgendaDays = NoticeQueries.MaxAgendaDays;

    public static IEndpointRouteBuilder MapAdminNoticesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1").WithTags("Notices").RequireAuthorization(Policies.Read);
        read.MapGet("/notices", GetNotices).WithName("GetNotices")
            .WithSummary("Notices with filters, newest first, keyset-paginated (stable while notices are added)");
        read.MapGet("/clients/{clientId}/agenda", GetAgenda).WithName("GetAgenda")
            .WithSummary("Everything scheduled for a client in the next days, soonest first");
        read.MapGet("/events/{eventId}", GetEvent).WithName("GetEvent").WithTags("Events")
            .WithSummary("An event, where it stands (processed, waiting for the data it lacks, expired, discarded) and what it did: the notices it created and the notices it dequeued");

        var operate = app.MapGroup("/api/v1").WithTags("Notices").RequireAuthorization(Policies.Operate);
        operate.MapDelete("/notices/{id:long}", Cancel).WithName("CancelNotice")
            .WithSummary("Cancel a pending notice: it ends dequeued, by the operator (409 when it is already sent or being sent)");
        operate.MapPost("/notices/{id:long}/restore", Restore).WithName("RestoreNotice")
            .WithSummary("Restore a notice an operator cancelled (not one an event dequeued) to pending, if it is still due in the future");
        operate.MapPost("/notices/{id:long}/resend", Resend).WithName("ResendNotice")
            .WithSummary("Send a notice again: a new notice linked to the original, through the same checks");
        operate.MapPost("/clients/{clientId}/notices", ManualSend).WithName("SendNotice")
            .WithSummary("Send a configured notice to a client now or at sendAt; Idempotency-Key makes retries safe");
        return app;
    }

    public static async Task<Results<Ok<NoticePage>, ValidationProblem>> GetNotices(
        string? clientId,
        string? kind,
        string? status,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? cursor,
        int? limit,
        NoticeQueries queries,
        CancellationToken cancellationToken,
        string? delivery = null)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = NoticeFilter.ParseStatus(status, errors);
        var deliveryFilter = Deliveries.DeliveryViews.Parse(delivery, errors);
        long? after = null;
        if (cursor is not null)
        {
            if (Cursor.TryRead(cursor, out var id))
            {
                after = id;
            }
            else
            {
                errors["cursor"] = ["is not a cursor this API returned"];
            }
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"must be between 1 and {MaxLimit}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await queries.FindAsync(
            new NoticeFilter { ClientId = clientId, Kind = kind, Status = statusFilter, From = from, To = to, Before = after, Limit = limit ?? NoticesApi.DefaultLimit, Delivery = deliveryFilter },
            cancellationToken);
        return TypedResults.Ok(new NoticePage(page.Items, page.NextBefore is { } next ? Cursor.Write(next) : null));
    }

    public static async Task<Results<Ok<IReadOnlyList<NoticeView>>, ValidationProblem>> GetAgenda(
        string clientId,
        int? days,
        NoticeQueries queries,
        CancellationToken cancellationToken)
    {
        var agenda = await queries.AgendaAsync(clientId, days, cancellationToken);
        return agenda.IsValid ? TypedResults.Ok(agenda.Value!) : AdminProblems.Invalid(agenda.Errors);
    }

    public static async Task<Results<Ok<EventDetailView>, ProblemHttpResult>> GetEvent(
        string eventId,
        ParkedEventQueries queries,
        CancellationToken cancellationToken) =>
        await queries.EventAsync(eventId, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: ParkedEventOperations.NoSuchEvent(eventId));

    public static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> Cancel(long id, NoticeOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await operations.CancelAsync(id, Actor.From(http.User), cancellationToken));

    public static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> Restore(long id, NoticeOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await operations.RestoreAsync(id, Actor.From(http.User), cancellationToken));

    public static async Task<Results<Created<NoticeView>, ProblemHttpResult>> Resend(long id, NoticeOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        await operations.ResendAsync(id, Actor.From(http.User), cancellationToken) switch
        {
            OperationResult.Done done => TypedResults.Created($"/api/v1/notices/{done.Notice.Id}", done.Notice),
            var other => AdminProblems.Of(other),
        };

    public static async Task<Results<Created<NoticeView>, Ok<NoticeView>, ValidationProblem, ProblemHttpResult>> ManualSend(
        string clientId,
        ManualSendRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        NoticeOperations operations,
        HttpContext http,
        CancellationToken cancellationToken) =>
        await operations.ManualSendAsync(clientId, request, idempotencyKey, Actor.From(http.User), cancellationToken) switch
        {
            OperationResult.Done { Created: true } done => TypedResults.Created($"/api/v1/notices/{done.Notice.Id}", done.Notice),
            OperationResult.Done done => TypedResults.Ok(done.Notice),
            OperationResult.Invalid invalid => AdminProblems.Invalid(invalid.ByKey, "The notice is invalid"),
            var other => AdminProblems.Of(other),
        };

    private static Results<Ok<NoticeView>, ProblemHttpResult> Answer(OperationResult result) => result switch
    {
        OperationResult.Done done => TypedResults.Ok(done.Notice),
        var other => AdminProblems.Of(other),
    };

    /// <summary>Opaque keyset cursors: the last id of a page, base64url-encoded.</summary>
    private static class Cursor
    {
        public static string Write(long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"n:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static bool TryRead(string cursor, out long id)
        {
            id = 0;
            try
            {
                var padded = cursor.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - (padded.Length % 4)) % 4);
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
                return text.StartsWith("n:", StringComparison.Ordinal) && long.TryParse(text[2..], out id);
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
