using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Intake;

/// <summary>Section <c>Intake</c>.</summary>
public sealed class IntakeOptions
{
    /// <summary>Largest accepted event body; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;
}

/// <summary>The answer to an accepted event.</summary>
public sealed record EventAccepted(string EventId);

/// <summary><c>POST /api/v1/events</c>: the HTTP way in for producers that do not use the bus.</summary>
public static partial class IntakeApi
{
    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/events", PostEvent)
            .RequireAuthorization(Admin.Policies.SubmitEvents)
            .WithName("PostEvent")
            .WithTags("Intake")
            .WithSummary("Submit a business event")
            .WithDescription("Validates the event (wire format of contracts/schemas) and publishes it to the bus. 202 only after the broker confirmed it.")
            .Accepts<JsonElement>("application/json")
            .Produces<EventAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
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
        IOptions<IntakeOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the event as application/json.");
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

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Invalid(new Dictionary<string, string[]> { ["$"] = [$"malformed JSON: {ex.Message}"] });
        }

        using (document)
        {
            var read = EventEnvelopeReader.Read(document.RootElement);
            if (!read.IsValid)
            {
                return Invalid(read.Errors);
            }

            var evt = read.Event!;
            try
            {
                await publish.Publish(evt, evt.GetType(), context =>
                {
                    // Refuse rather than drop: an unroutable event fails the request.
                    if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                    {
                        rabbit.Mandatory = true;
                    }
                }, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPublishFailed(loggers.CreateLogger(typeof(IntakeApi)), ex, evt.EventId);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The broker did not confirm the event",
                    detail: "Nothing was accepted; send the same event again (same eventId) later.");
            }

            return TypedResults.Accepted($"/api/v1/events/{Uri.EscapeDataString(evt.EventId)}", new EventAccepted(evt.EventId));
        }
    }

    public static Results<ContentHttpResult, ProblemHttpResult> GetSchema(string type) =>
        EventTypes.ByName.ContainsKey(type)
            ? TypedResults.Content(EventSchemas.ToText(EventSchemas.For(type)), "application/schema+json")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown event type",
                detail: $"Known types are {string.Join(", ", EventTypes.ByName.Keys)}.");

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string eventId);
}
