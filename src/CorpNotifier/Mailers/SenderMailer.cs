using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Mailers;

/// <summary>Section <c>Sender</c>: the transactional mail HTTP API.</summary>
public sealed class SenderOptions
{
    [Required]
    public Uri? BaseUrl { get; set; }

    [Required]
    public string? Account { get; set; }

    /// <summary>The account key, sent as the HTTP Basic user name with an empty password. A secret: never logged.</summary>
    [Required]
    public string? ApiKey { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// <c>Mailer = Sender</c>: <c>POST {BaseUrl}/api/0/{Account}/transactional/{slug}/send?to_email=…</c>
/// with <c>{"args": "&lt;args as a JSON string&gt;", "async": true}</c>. The provider renders the
/// letter from its own template of that slug. 4xx is permanent; 5xx, 429 and timeouts are retried
/// (a <c>429</c> or <c>503</c> with <c>Retry-After</c>, in seconds or as an HTTP date, not before then).
/// </summary>
public sealed class SenderMailer(HttpClient http, IOptions<SenderOptions> options, TimeProvider time) : IMailer
{
    public async Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken)
    {
        var sender = options.Value;
        var url = $"api/0/{Uri.EscapeDataString(sender.Account!)}/transactional/{Uri.EscapeDataString(letter.Slug)}/send?to_email={Uri.EscapeDataString(letter.Recipient)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new SendRequest(letter.Args.ToJsonString(), Async: true)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(sender.ApiKey + ":")));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(sender.Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return new MailResult.Accepted(MessageId(body));
            }

            var error = $"Sender answered {(int)response.StatusCode}: {Shorten(body)}";
            return (int)response.StatusCode is >= 400 and < 500 and not (int)HttpStatusCode.TooManyRequests and not (int)HttpStatusCode.RequestTimeout
                ? new MailResult.Permanent(error)
                : new MailResult.Transient(error, RetryAfter(response, time.GetUtcNow()));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MailResult.Transient($"Sender did not answer within {sender.Timeout}");
        }
        catch (HttpRequestException ex)
        {
            return new MailResult.Transient($"Sender is unreachable: {ex.Message}");
        }
    }

    /// <summary>
    /// How long a <c>429</c> or <c>503</c> asks to wait (<c>Retry-After</c>: seconds, or an HTTP date
    /// read against <paramref name="now"/>; a date already past is no wait); null for other answers
    /// and without the header.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return retryAfter.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }

    private static string? MessageId(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("result", out var result)
                && result.ValueKind == JsonValueKind.Object
                && result.TryGetProperty("message_id", out var id)
                    ? id.ToString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string body) => body.Length <= 500 ? body : body[..500] + "…";

    private sealed record SendRequest(
        [property: JsonPropertyName("args")] string Args,
        [property: JsonPropertyName("async")] bool Async);
}
