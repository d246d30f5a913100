using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>Section <c>Intake</c>.</summary>
public sealed class IntakeOptions
{
    /// <summary>Largest accepted event body; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a request waits for the broker to confirm its event before it answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an event whose client profile or contract is not known yet is kept waiting for it
    /// (parked) before it ends <c>expired</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often the waiting events are tried again whatever brings their data: the only way with
    /// <c>ClientDirectory = Http</c>, a safety net with the local directory (whose writes re-run them
    /// at once); also how often expired ones are marked.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ParkedRetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The answer to an accepted event.</summary>
public sealed record EventAccepted(string EventId);

/// <summary><c>POST /api/v1/events</c>: the HTTP way in for producers that do not use the bus.</summary>
public static partial class IntakeApi
{
    /// <summary>How long the early answer waits for the database before it leaves the decision to the consumer.</summary>
    private static readonly TimeSpan EarlyAnswerTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/events", PostEvent)
            .RequireAuthorization(Auth.Policies.SubmitEvents)
            .WithName("PostEvent")
            .WithTags("Intake")
            .WithSummary("Submit a business event")
            .WithDescription("Validates the event (wire format of contracts/schemas) and publishes it to the bus. 202 only after the broker confirmed it, or when the same event (same eventId, same body) was processed already. 409 when the eventId was received before with a different body: the problem's differences list each field by wire path with both values (secrets are not compared).")
            .Accepts<JsonElement>(HostingExtensions.JsonMediaType)
            .Produces<EventAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/api/v1/schemas/{type}", GetSchema)
            .AllowAnonymous()
            .WithName("GetEventSchema")
            .WithTags("Intake")
            .WithSummary("The JSON Schema of an event type's wire format");
        return app;
    }

    public static async Task<Results<Accepted<EventAccepted>, ValidationProblem, ProblemHttpResult>> PostEvent(
        HttpRequest request,
        IPublishEndpoint publish,
        IBusControl bus,
        IOptions<IntakeOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        NoticesDbContext db,
        DatabaseAvailability database,
        NotifierMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the event as {HostingExtensions.JsonMediaType} (the request's Content-Type was {request.ContentType ?? "not given"}).");
        }

        var limit = options.Value.MaxBodyBytes;
        var body = await ReadLimitedAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Event too large",
                detail: $"The body exceeds {limit} bytes (Intake:MaxBodyBytes).");
        }

        var read = EventEnvelopeReader.Read(body, time.GetUtcNow());
        if (!read.IsValid)
        {
            return Invalid(read.Errors);
        }

        var evt = read.Event!;
        var logger = loggers.CreateLogger(typeof(IntakeApi));
        var stored = await StoredPayloadAsync(evt.EventId, db, database, cancellationToken);
        if (stored is not null)
        {
            var differences = EventConflict.Compare(stored.Value.Payload, evt);

            // A repeat of a parked (waiting or expired) event is published: its consumer runs it again.
            if (differences.Count == 0 && stored.Value.Status is not (EventStatus.Waiting or EventStatus.Expired))
            {
                LogSeenBefore(logger, evt.EventId, evt.GetType().Name);
                metrics.EventProcessed(evt.GetType().Name, "duplicate");
                return TypedResults.Accepted($"/api/v1/events/{Uri.EscapeDataString(evt.EventId)}", new EventAccepted(evt.EventId));
            }

            if (differences.Count > 0)
            {
                var conflict = new EventConflict(evt.EventId, evt.GetType().Name, differences);
                EventConflictLog.Report(logger, metrics, conflict, "HTTP");
                return Conflict(conflict);
            }
        }

        if (bus.CheckHealth().Status != BusHealthStatus.Healthy)
        {
            // Not connected, or the queues are not declared yet: a publish now could be dropped.
            LogBusNotReady(logger, evt.EventId);
            return BrokerUnavailable("The broker is not reachable from this instance right now. Nothing was accepted; send the same event again (same eventId) later.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        try
        {
            await publish.Publish(evt, evt.GetType(), context =>
            {
                // Refuse rather than drop: an unroutable event fails the request.
                if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            }, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(logger, evt.EventId, ex is OperationCanceledException ? $"no confirmation within {options.Value.PublishTimeout}" : $"{ex.GetType().Name}: {ex.Message}");
            return BrokerUnavailable("The broker did not confirm the event in time. It may or may not have been accepted: send the same event again (same eventId) later; a repeat acts once.");
        }

        return TypedResults.Accepted($"/api/v1/events/{Uri.EscapeDataString(evt.EventId)}", new EventAccepted(evt.EventId));
    }

    public static Results<ContentHttpResult, ProblemHttpResult> GetSchema(string type) =>
        EventTypes.ByName.ContainsKey(type)
            ? TypedResults.Content(EventSchemas.ToText(EventSchemas.For(type)), "application/schema+json")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown event type",
                detail: $"Known types are {string.Join(", ", EventTypes.ByName.Keys)}.");

    /// <summary>
    /// The early answer to a repeat: the stored body and status of the event with this id, read by its primary
    /// key, or null when there is none — or when the database cannot say now (it is known to be
    /// unavailable, or it does not answer in time): then the event is published, and the consumer,
    /// which is authoritative, decides.
    /// </summary>
    private static async Task<(string Payload, EventStatus Status)?> StoredPayloadAsync(string eventId, NoticesDbContext db, DatabaseAvailability database, CancellationToken cancellationToken)
    {
        if (!database.IsAvailable)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EarlyAnswerTimeout);
        try
        {
            var stored = await db.Events.AsNoTracking().Where(e => e.EventId == eventId).Select(e => new { e.Payload, e.Status }).FirstOrDefaultAsync(timeout.Token);
            return stored is null ? null : (stored.Payload, stored.Status);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is OperationCanceledException || DatabaseFaults.IsUnavailable(ex)))
        {
            return null;
        }
    }

    private static ProblemHttpResult Conflict(EventConflict conflict) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The eventId was used for another event",
            detail: $"An event with eventId '{conflict.EventId}' was received before with a different body ({conflict.Paths}). An eventId names one event: send a new fact under a new eventId; a retry of the same event must carry the same body. Secrets (Fernet tokens) are not compared.",
            extensions: new Dictionary<string, object?>
            {
                ["eventId"] = conflict.EventId,
                ["differences"] = conflict.Differences.Select(d => new { path = d.Path, stored = d.Stored, received = d.Received }).ToList(),
            });

    private static ProblemHttpResult BrokerUnavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The broker is unavailable", detail: detail);

    private static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            title: "The event is invalid",
            detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));

    /// <summary>The body, or <c>null</c> when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} refused with 503: {Problem}")]
    private static partial void LogPublishFailed(ILogger logger, string eventId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) was seen before with the same body; answered 202 without publishing it again")]
    private static partial void LogSeenBefore(ILogger logger, string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} refused with 503: the bus is not ready")]
    private static partial void LogBusNotReady(ILogger logger, string eventId);
}
