using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using CorpNotifier.Benchmarks.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Benchmarks.Upstreams;

/// <summary>
/// The Sender transactional mail API on loopback, answering every call at once with 200. Each call
/// is recorded as <c>{to_email}|{slug}|{new_balance}</c>: the benchmark gives every letter a balance
/// no other letter of its client carries, so a key names exactly one letter.
/// </summary>
public sealed class SenderStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _messageIds;

    public SenderStandIn()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.MapPost("/api/0/{account}/transactional/{slug}/send", SendAsync);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public ConcurrentQueue<Receipt> Receipts { get; } = new();

    public int Count => Receipts.Count;

    /// <summary>The mailer settings that send to this stand-in.</summary>
    public Dictionary<string, string> ServiceSettings() => new()
    {
        ["Mailer"] = "Sender",
        ["Sender:BaseUrl"] = $"http://127.0.0.1:{Port}/",
        ["Sender:Account"] = "bench",
        ["Sender:ApiKey"] = "bench-sender-key",
    };

    /// <summary>The key of a letter; the balance is compared as a number (<c>25.5000</c> and <c>25.5</c> are one).</summary>
    public static string KeyOf(string email, string slug, string balance) =>
        $"{email}|{slug}|{(decimal.TryParse(balance, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number.ToString("0.############", CultureInfo.InvariantCulture) : balance)}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> SendAsync(string slug, HttpRequest request)
    {
        var at = Moment.Now;
        using var body = await JsonDocument.ParseAsync(request.Body);
        using var args = JsonDocument.Parse(body.RootElement.GetProperty("args").GetString() ?? "{}");
        var balance = args.RootElement.TryGetProperty("new_balance", out var value) ? value.ToString() : "";
        Receipts.Enqueue(new Receipt(KeyOf(request.Query["to_email"].ToString(), slug, balance), at));
        return Results.Json(new { result = new { message_id = $"bench-{Interlocked.Increment(ref _messageIds)}" } });
    }
}
