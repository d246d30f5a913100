using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.TestHosting;

/// <summary>One call the Sender stand-in received.</summary>
public sealed record SenderCall(string Account, string Slug, string ToEmail, string Authorization, JsonElement Args, bool Async, DateTimeOffset ReceivedAt);

/// <summary>
/// The Sender transactional mail API (<c>POST /api/0/{account}/transactional/{slug}/send</c>) as a
/// real HTTP server on loopback. By default it accepts every call at once (200 with a message id);
/// a test can make it slow (<see cref="Latency"/>), down for a while (<see cref="DownUntil"/>) or
/// answer given statuses in turn (<see cref="Script"/>). It records every call
/// (<see cref="Calls"/>, <see cref="Delivered"/>) unless told not to, and counts every accepted
/// letter once in <see cref="Receipts"/>, keyed by <see cref="KeyOf"/>, with the moment it arrived.
/// Given a <see cref="DeliveryWebhook"/> it reports what became of each letter as the Sender does:
/// a signed delivery webhook per letter, its outcome by <see cref="OutcomeRule"/>.
/// </summary>
public sealed class SenderStandIn : IAsyncDisposable
{
    /// <summary>The account the service is configured with (<see cref="ServiceSettings"/>).</summary>
    public const string Account = "corp";

    /// <summary>The account's API key the service is configured with; it arrives as the user of HTTP Basic authentication.</summary>
    public const string ApiKey = "test-account-key";

    private readonly WebApplication _app;
    private readonly bool _recordCalls;
    private int _messageIds;
    private int _refusedWhileDown;
    private int _webhooksAccepted;
    private int _webhooksRefused;
    private static readonly HttpClient Webhooks = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <param name="recordCalls">False keeps only the receipts: a benchmark's thousands of calls are counted, not kept.</param>
    /// <param name="alsoServe">Other endpoints served on the same port (a test's other upstreams), so one base URL serves both.</param>
    public SenderStandIn(bool recordCalls = true, Action<IEndpointRouteBuilder>? alsoServe = null)
    {
        _recordCalls = recordCalls;
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseUrl);
        _app = builder.Build();
        _app.MapPost("/api/0/{account}/transactional/{slug}/send", SendAsync);
        alsoServe?.Invoke(_app);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Every call received, whatever it was answered (empty when made with <c>recordCalls: false</c>).</summary>
    public ConcurrentQueue<SenderCall> Calls { get; } = new();

    /// <summary>The calls answered 200: the letters that went out (empty when made with <c>recordCalls: false</c>).</summary>
    public ConcurrentQueue<SenderCall> Delivered { get; } = new();

    /// <summary>Every call answered 200, once each, keyed by <see cref="KeyOf"/>, with the moment it arrived.</summary>
    public ConcurrentQueue<Receipt> Receipts { get; } = new();

    /// <summary>How many letters were accepted.</summary>
    public int Count => Receipts.Count;

    /// <summary>Until this moment every call is answered 503, as a Sender that is down.</summary>
    public DateTimeOffset DownUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Calls refused with 503 while the Sender was down.</summary>
    public int RefusedWhileDown => _refusedWhileDown;

    /// <summary>Status codes to answer with, one per call in order; 200 once empty.</summary>
    public ConcurrentQueue<int> Script { get; } = new();

    /// <summary>How long each call takes.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Where to send signed delivery webhooks (the service's <c>/api/v1/deliveries/webhook</c>) for the
    /// letters accepted, as the real Sender does; <c>null</c> (the default) sends none.
    /// </summary>
    public Uri? DeliveryWebhook { get; set; }

    /// <summary>The webhook signing secret (<c>whsec_…</c>), the service's <c>Deliveries:Webhook:Secrets</c>.</summary>
    public string WebhookSecret { get; set; } = DefaultWebhookSecret;

    /// <summary>A secret the service can be configured with (<see cref="ServiceWebhookSettings"/>).</summary>
    public const string DefaultWebhookSecret = "whsec_c3RhbmQtaW4tc2VuZGVyLXdlYmhvb2stc2VjcmV0";

    /// <summary>
    /// What became of a letter to an address (<c>outcome</c> and the provider's words), reported by
    /// webhook; null reports nothing. By default an address containing <c>bounce</c> hard-bounces, one
    /// containing <c>complain</c> is complained about, one containing <c>soft</c> soft-bounces, and the
    /// rest are delivered.
    /// </summary>
    public Func<string, (string Outcome, string Words)?> OutcomeRule { get; set; } = DefaultOutcome;

    /// <summary>Delivery webhooks the service answered 2xx / otherwise.</summary>
    public int WebhooksAccepted => _webhooksAccepted;

    public int WebhooksRefused => _webhooksRefused;

    /// <summary>The settings that make the service take this stand-in's delivery webhooks.</summary>
    public static Dictionary<string, string> ServiceWebhookSettings() => new() { ["Deliveries:Webhook:Secrets:0"] = DefaultWebhookSecret };

    /// <summary>The default <see cref="OutcomeRule"/>.</summary>
    public static (string Outcome, string Words)? DefaultOutcome(string email) =>
        email.Contains("bounce", StringComparison.OrdinalIgnoreCase) ? ("hard_bounce", "550 5.1.1 The email account that you tried to reach does not exist")
        : email.Contains("complain", StringComparison.OrdinalIgnoreCase) ? ("complained", "The recipient marked the letter as spam")
        : email.Contains("soft", StringComparison.OrdinalIgnoreCase) ? ("soft_bounce", "452 4.2.2 Mailbox full")
        : ("delivered", "250 2.0.0 OK");

    /// <summary>The settings that make the service send its letters here.</summary>
    public Dictionary<string, string> ServiceSettings() => new()
    {
        ["Mailer"] = "Sender",
        ["Sender:BaseUrl"] = BaseUrl,
        ["Sender:Account"] = Account,
        ["Sender:ApiKey"] = ApiKey,
    };

    /// <summary>
    /// The key of a receipt: <c>{to_email}|{slug}|{new_balance}</c>. The benchmarks give every letter
    /// a balance no other letter of its client carries, so a key names exactly one letter; the balance
    /// is compared as a number (<c>25.5000</c> and <c>25.5</c> are one).
    /// </summary>
    public static string KeyOf(string email, string slug, string balance) =>
        $"{email}|{slug}|{(decimal.TryParse(balance, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number.ToString("0.############", CultureInfo.InvariantCulture) : balance)}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> SendAsync(string account, string slug, HttpRequest request, CancellationToken cancellationToken)
    {
        var at = Moment.Now;
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        using var args = JsonDocument.Parse(body.RootElement.TryGetProperty("args", out var text) ? text.GetString() ?? "{}" : "{}");
        var toEmail = request.Query["to_email"].ToString();
        var call = _recordCalls
            ? new SenderCall(
                account,
                slug,
                toEmail,
                BasicUser(request.Headers.Authorization.ToString()),
                args.RootElement.Clone(),
                body.RootElement.TryGetProperty("async", out var async) && async.ValueKind == JsonValueKind.True,
                DateTimeOffset.UtcNow)
            : null;
        if (call is not null)
        {
            Calls.Enqueue(call);
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }

        if (DateTimeOffset.UtcNow < DownUntil)
        {
            Interlocked.Increment(ref _refusedWhileDown);
            return Results.Json(new { error = "service unavailable" }, statusCode: 503);
        }

        var status = Script.TryDequeue(out var scripted) ? scripted : 200;
        if (status != 200)
        {
            return Results.Json(new { error = status == 400 ? "invalid email" : "internal error" }, statusCode: status);
        }

        if (call is not null)
        {
            Delivered.Enqueue(call);
        }

        var balance = args.RootElement.TryGetProperty("new_balance", out var value) ? value.ToString() : "";
        Receipts.Enqueue(new Receipt(KeyOf(toEmail, slug, balance), at));
        var messageId = $"msg-{Interlocked.Increment(ref _messageIds)}";
        if (DeliveryWebhook is { } callback && OutcomeRule(toEmail) is { } outcome)
        {
            // After the answer, as a real mailer reports: the service records the letter's message id first.
            _ = Task.Run(() => ReportAsync(callback, messageId, toEmail, outcome.Outcome, outcome.Words), CancellationToken.None);
        }

        return Results.Json(new { result = new { message_id = messageId } });
    }

    /// <summary>One signed delivery webhook (Standard Webhooks), retried a few times while the service does not know the letter yet.</summary>
    private async Task ReportAsync(Uri callback, string messageId, string email, string outcome, string words)
    {
        var body = JsonSerializer.Serialize(new
        {
            events = new[] { new { message_id = messageId, recipient = email, outcome, description = words, occurred_at = DateTimeOffset.UtcNow } },
        });
        var id = $"msg_{Guid.NewGuid():N}";
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", Sign(id, timestamp, body));
            try
            {
                using var response = await Webhooks.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                // "unknown":1 — the service has not saved the letter's acceptance yet: a later retry finds it.
                if (response.IsSuccessStatusCode && !answer.Contains("\"unknown\":1", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _webhooksAccepted);
                    return;
                }

                if (response.IsSuccessStatusCode)
                {
                    id = $"msg_{Guid.NewGuid():N}"; // a new call: the old id was taken
                }
            }
            catch (HttpRequestException)
            {
                // The service is away for a moment: retried.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
        }

        Interlocked.Increment(ref _webhooksRefused);
    }

    private string Sign(string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(WebhookSecret.StartsWith("whsec_", StringComparison.Ordinal) ? WebhookSecret["whsec_".Length..] : WebhookSecret);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>The user:password of HTTP Basic authentication, as sent; the header as it is otherwise.</summary>
    private static string BasicUser(string authorization) =>
        authorization.StartsWith("Basic ", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]))
            : authorization;
}
