using System.Text.Json;
using System.Text.Json.Serialization;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Deliveries;

/// <summary>One event of a delivery webhook call (docs/deliveries.md).</summary>
public sealed record DeliveryWebhookEvent(
    [property: JsonPropertyName("message_id")] string? MessageId,
    [property: JsonPropertyName("recipient")] string? Recipient,
    [property: JsonPropertyName("outcome")] string? Outcome,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("occurred_at")] DateTimeOffset? OccurredAt);

/// <summary>The body of a delivery webhook call: a batch of events.</summary>
public sealed record DeliveryWebhookBody([property: JsonPropertyName("events")] IReadOnlyList<DeliveryWebhookEvent>? Events);

/// <summary>The answer to a delivery webhook call: what became of its events; <c>replayed</c> when the call's id was taken before (nothing applied again).</summary>
public sealed record DeliveryWebhookAnswer(
    [property: JsonPropertyName("recorded")] int Recorded,
    [property: JsonPropertyName("duplicates")] int Duplicates,
    [property: JsonPropertyName("unknown")] int Unknown,
    [property: JsonPropertyName("replayed")] bool Replayed);

/// <summary><c>POST /api/v1/deliveries/webhook</c>: the mailer's delivery events, signed (Standard Webhooks), no API key.</summary>
public static partial class DeliveriesApi
{
    public const string WebhookPath = "/api/v1/deliveries/webhook";

    /// <summary>How long a call's id is remembered; a call older than the tolerance is refused anyway.</summary>
    private static readonly TimeSpan ReceiptsKept = TimeSpan.FromDays(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, DeliveryOutcome> Outcomes =
        Enum.GetValues<DeliveryOutcome>().ToDictionary(o => WireName.Of(o), StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapDeliveries(this IEndpointRouteBuilder app)
    {
        app.MapPost(WebhookPath, PostWebhook)
            .AllowAnonymous()
            .WithName("PostDeliveryWebhook")
            .WithTags("Deliveries")
            .WithSummary("The mailer's delivery events (delivered, deferred, soft_bounce, hard_bounce, complained)")
            .WithDescription("Authenticated by a Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature; Deliveries:Webhook:Secrets), not an API key: unsigned, badly signed or too old calls get 401 and change nothing. A call whose webhook-id was taken before is answered 200 with replayed=true and not applied again. Each event is matched by message_id (and recipient) to the letter the mailer accepted; an unknown message id is counted and ignored; the same event twice is recorded once.")
            .Accepts<DeliveryWebhookBody>(HostingExtensions.JsonMediaType)
            .Produces<DeliveryWebhookAnswer>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static async Task<Results<Ok<DeliveryWebhookAnswer>, ValidationProblem, ProblemHttpResult>> PostWebhook(
        HttpRequest request,
        IOptions<DeliveryWebhookOptions> options,
        NoticesDbContext db,
        DeliveryRecorder recorder,
        DeliveryMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var logger = loggers.CreateLogger(typeof(DeliveriesApi));
        var body = await ReadLimitedAsync(request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Delivery events too large",
                detail: $"The body exceeds {settings.MaxBodyBytes} bytes (Deliveries:Webhook:MaxBodyBytes); send fewer events per call.");
        }

        var id = request.Headers["webhook-id"].ToString();
        var refusal = WebhookSignature.Verify(
            settings.Secrets, id, request.Headers["webhook-timestamp"].ToString(), request.Headers["webhook-signature"].ToString(), body, time.GetUtcNow(), settings.Tolerance);
        if (refusal is { } refused)
        {
            var reason = WireName.Of(refused);
            metrics.Refused(reason);
            LogRefused(logger, reason);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "The delivery events are not signed by the mailer",
                detail: refused switch
                {
                    WebhookRefusal.NoSecret => "No signing secret is configured (Deliveries:Webhook:Secrets); nothing is accepted.",
                    WebhookRefusal.Unsigned => "Send the webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks).",
                    WebhookRefusal.TooOld => $"The webhook-timestamp is more than {settings.Tolerance} away from now.",
                    _ => "No signature matches the body.",
                },
                extensions: new Dictionary<string, object?> { ["reason"] = reason });
        }

        if (id.Length > 200)
        {
            return Invalid(new Dictionary<string, string[]> { ["webhook-id"] = ["at most 200 characters"] });
        }

        var (events, errors) = Read(body, settings.MaxEvents);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (await db.DeliveryWebhooks.AsNoTracking().AnyAsync(w => w.WebhookId == id, cancellationToken))
            {
                LogReplayed(logger);
                return TypedResults.Ok(new DeliveryWebhookAnswer(0, 0, 0, Replayed: true));
            }

            var now = time.GetUtcNow();
            var result = await recorder.RecordAsync(events, "webhook", cancellationToken);
            db.DeliveryWebhooks.Add(new DeliveryWebhookReceipt { WebhookId = id, ReceivedAt = now });
            try
            {
                await recorder.SaveAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < 3)
            {
                // The same call or the same report was saved by a concurrent request: read again.
                recorder.Forget();
                continue;
            }

            var cutoff = now - ReceiptsKept;
            await db.DeliveryWebhooks.Where(w => w.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            return TypedResults.Ok(new DeliveryWebhookAnswer(result.Recorded, result.Duplicates, result.Unknown, Replayed: false));
        }
    }

    /// <summary>The events of a body, or what is wrong with them (by wire path: <c>events[2].outcome</c>).</summary>
    internal static (List<IncomingDelivery> Events, Dictionary<string, string[]> Errors) Read(ReadOnlySpan<byte> body, int maxEvents)
    {
        var errors = new Dictionary<string, string[]>();
        DeliveryWebhookBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<DeliveryWebhookBody>(body, Json);
        }
        catch (JsonException ex)
        {
            errors["$"] = [$"not the JSON of delivery events: {ex.Message}"];
            return ([], errors);
        }

        if (parsed?.Events is not { } list)
        {
            errors["events"] = ["required: an array of delivery events"];
            return ([], errors);
        }

        if (list.Count > maxEvents)
        {
            errors["events"] = [$"at most {maxEvents} events per call (Deliveries:Webhook:MaxEvents)"];
            return ([], errors);
        }

        var events = new List<IncomingDelivery>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var evt = list[i];
            var path = $"events[{i}]";
            if (evt is null)
            {
                errors[path] = ["required: an object"];
                continue;
            }

            if (string.IsNullOrWhiteSpace(evt.MessageId))
            {
                errors[$"{path}.message_id"] = ["required"];
            }

            if (evt.Outcome is null || !Outcomes.TryGetValue(evt.Outcome, out var outcome))
            {
                errors[$"{path}.outcome"] = [$"one of {string.Join(", ", Outcomes.Keys)}"];
                continue;
            }

            if (evt.OccurredAt is null)
            {
                errors[$"{path}.occurred_at"] = ["required: an ISO 8601 moment with its offset"];
                continue;
            }

            if (!string.IsNullOrWhiteSpace(evt.MessageId))
            {
                events.Add(new IncomingDelivery(evt.MessageId, evt.Recipient, outcome, evt.Description, evt.OccurredAt.Value));
            }
        }

        return (events, errors);
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            title: "The delivery events are invalid",
            detail: "Nothing was recorded. " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery webhook call refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery webhook call replayed (its webhook-id was taken before); not applied again")]
    private static partial void LogReplayed(ILogger logger);
}
