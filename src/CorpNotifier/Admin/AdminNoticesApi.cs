using System.Text;
using System.Text.Json;
using CorpNotifier.Auth;
using CorpNotifier.Intake;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>A page of notices, newest first; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page.</summary>
public sealed record NoticePage(IReadOnlyList<NoticeView> Items, string? NextCursor);

/// <summary>An event and what it did.</summary>
public sealed record EventView(
    string EventId,
    string Type,
    string? ClientId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string? Outcome,
    JsonElement Payload,
    IReadOnlyList<NoticeView> Created,
    IReadOnlyList<NoticeView> Dequeued);

/// <summary>Notices for operators: history with filters, agenda, events, and the actions on notices.</summary>
public static class AdminNoticesApi
{
    public const int MaxLimit = 500;
    public const int MaxAgendaDays = 366;

    public static IEndpointRouteBuilder MapAdminNoticesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1").WithTags("Notices").RequireAuthorization(Policies.Read);
        read.MapGet("/notices", GetNotices).WithName("GetNotices")
            .WithSummary("Notices with filters, newest first, keyset-paginated (stable while notices are added)");
        read.MapGet("/clients/{clientId}/agenda", GetAgenda).WithName("GetAgenda")
            .WithSummary("Everything scheduled for a client in the next days, soonest first");
        read.MapGet("/events/{eventId}", GetEvent).WithName("GetEvent").WithTags("Events")
            .WithSummary("An event and what it did: the notices it created and the notices it dequeued");

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
        NoticesDbContext db,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        NoticeStatus? statusFilter = null;
        if (status is not null)
        {
            if (Enum.TryParse<NoticeStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = [$"must be one of {string.Join(", ", Enum.GetNames<NoticeStatus>().Select(n => n.ToLowerInvariant()))}"];
            }
        }

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

        var take = limit ?? NoticesApi.DefaultLimit;
        var query = db.Notices.AsNoTracking();
        query = clientId is null ? query : query.Where(n => n.ClientId == clientId);
        query = kind is null ? query : query.Where(n => n.Kind == kind);
        query = statusFilter is null ? query : query.Where(n => n.Status == statusFilter);
        query = from is null ? query : query.Where(n => n.CreatedAt >= from);
        query = to is null ? query : query.Where(n => n.CreatedAt < to);
        query = after is null ? query : query.Where(n => n.Id < after);
        var page = await query.OrderByDescending(n => n.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = page.Take(take).Select(NoticeView.From).ToList();
        return TypedResults.Ok(new NoticePage(items, page.Count > take ? Cursor.Write(items[^1].Id) : null));
    }

    public static async Task<Results<Ok<IReadOnlyList<NoticeView>>, ValidationProblem>> GetAgenda(
        string clientId,
        int? days,
        NoticesDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxAgendaDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = [$"must be between 1 and {MaxAgendaDays}"] });
        }

        var until = time.GetUtcNow().AddDays(days ?? 30);
        var pending = await db.Notices.AsNoTracking()
            .Where(n => n.ClientId == clientId && (n.Status == NoticeStatus.Pending || n.Status == NoticeStatus.Sending) && n.SendAt <= until)
            .OrderBy(n => n.SendAt).ThenBy(n => n.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<NoticeView>>(pending.Select(NoticeView.From).ToList());
    }

    public static async Task<Results<Ok<EventView>, ProblemHttpResult>> GetEvent(
        string eventId,
        NoticesDbContext db,
        CancellationToken cancellationToken)
    {
        var evt = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.EventId == eventId, cancellationToken);
        if (evt is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: $"Event '{eventId}' was never received.");
        }

        var created = await db.Notices.AsNoTracking().Where(n => n.EventId == eventId).OrderBy(n => n.Id).ToListAsync(cancellationToken);
        var dequeued = await db.Notices.AsNoTracking().Where(n => n.DequeuedByEventId == eventId).OrderBy(n => n.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new EventView(
            evt.EventId,
            evt.Type,
            evt.ClientId,
            evt.OccurredAt,
            evt.ReceivedAt,
            evt.Outcome,
            JsonSerializer.Deserialize<JsonElement>(evt.Payload),
            [.. created.Select(NoticeView.From)],
            [.. dequeued.Select(NoticeView.From)]));
    }

    public static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> Cancel(long id, NoticeOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await operations.CancelAsync(id, Actor.From(http.User), cancellationToken));

    public static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> Restore(long id, NoticeOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await operations.RestoreAsync(id, Actor.From(http.User), cancellationToken));

    public static async Task<Results<Created<NoticeView>, ProblemHttpResult>> Resend(long id, NoticeOperations operations, HttpContext http, CancellationToken cancellationToken) =>
        await operations.ResendAsync(id, Actor.From(http.User), cancellationToken) switch
        {
            OperationResult.Done done => TypedResults.Created($"/api/v1/notices/{done.Notice.Id}", NoticeView.From(done.Notice)),
            var other => Problem(other),
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
            OperationResult.Done { Created: true } done => TypedResults.Created($"/api/v1/notices/{done.Notice.Id}", NoticeView.From(done.Notice)),
            OperationResult.Done done => TypedResults.Ok(NoticeView.From(done.Notice)),
            OperationResult.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The letter is invalid"),
            var other => Problem(other),
        };

    private static Results<Ok<NoticeView>, ProblemHttpResult> Answer(OperationResult result) => result switch
    {
        OperationResult.Done done => TypedResults.Ok(NoticeView.From(done.Notice)),
        var other => Problem(other),
    };

    private static ProblemHttpResult Problem(OperationResult result) => result switch
    {
        OperationResult.NotFound notFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such letter", detail: notFound.Message),
        OperationResult.Conflict conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible in the letter's state", detail: conflict.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
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
