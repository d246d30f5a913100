using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.SystemTests;

/// <summary>One call the Sender stand-in received.</summary>
public sealed record SenderCall(string Account, string Slug, string ToEmail, string Authorization, JsonElement Args, bool Async, DateTimeOffset ReceivedAt);

/// <summary>
/// Real HTTP servers on loopback standing in for the services corp-notifier calls: the Sender
/// transactional mail API (answers scripted per test) and the client directory.
/// </summary>
public sealed class FakeUpstreams : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _messageIds;
    private int _refusedWhileDown;

    public FakeUpstreams()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.MapPost("/api/0/{account}/transactional/{slug}/send", SendAsync);
        _app.MapGet("/v1/clients/{id}", (string id) => DirectoryRefusal() is { } status ? Results.StatusCode(status)
            : Clients.TryGetValue(id, out var client) ? Results.Json(client) : Results.NotFound());
        _app.MapGet("/v1/contracts/{id}", (string id) => DirectoryRefusal() is { } status ? Results.StatusCode(status)
            : Contracts.TryGetValue(id, out var contract) ? Results.Json(contract) : Results.NotFound());
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<SenderCall> SenderCalls { get; } = new();

    /// <summary>The calls the Sender accepted (answered 200): the letters that went out.</summary>
    public ConcurrentQueue<SenderCall> SenderDelivered { get; } = new();

    /// <summary>Until this moment the Sender answers every call with 503, as a Sender that is down.</summary>
    public DateTimeOffset SenderDownUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Calls refused with 503 while the Sender was down.</summary>
    public int SenderRefusedWhileDown => _refusedWhileDown;

    /// <summary>Status codes the Sender answers with, in order; 200 once empty.</summary>
    public ConcurrentQueue<int> SenderScript { get; } = new();

    /// <summary>How long each Sender call takes.</summary>
    public TimeSpan SenderLatency { get; set; } = TimeSpan.Zero;

    public ConcurrentDictionary<string, object> Clients { get; } = new();

    /// <summary>When set, the directory answers every request with this status.</summary>
    public int? DirectoryStatus { get; set; }

    /// <summary>
    /// When set, the directory answers this many requests (counted from when it was set) and then
    /// 503 until it is cleared: an outage that begins at a known point of the service's work,
    /// however fast or slow the machine is.
    /// </summary>
    public int? DirectoryAnswersBeforeOutage
    {
        get => _directoryBudget;
        set
        {
            Interlocked.Exchange(ref _directoryAnswered, 0);
            _directoryBudget = value;
        }
    }

    private int? _directoryBudget;
    private int _directoryAnswered;

    private int? DirectoryRefusal() =>
        DirectoryStatus ?? (DirectoryAnswersBeforeOutage is { } budget && Interlocked.Increment(ref _directoryAnswered) > budget ? 503 : null);

    public ConcurrentDictionary<string, object> Contracts { get; } = new();

    private async Task<IResult> SendAsync(string account, string slug, HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var args = JsonDocument.Parse(body.RootElement.GetProperty("args").GetString()!).RootElement.Clone();
        var call = new SenderCall(
            account,
            slug,
            request.Query["to_email"].ToString(),
            Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.ToString()["Basic ".Length..])),
            args,
            body.RootElement.GetProperty("async").GetBoolean(),
            DateTimeOffset.UtcNow);
        SenderCalls.Enqueue(call);
        if (SenderLatency > TimeSpan.Zero)
        {
            await Task.Delay(SenderLatency);
        }

        if (DateTimeOffset.UtcNow < SenderDownUntil)
        {
            Interlocked.Increment(ref _refusedWhileDown);
            return Results.Json(new { error = "service unavailable" }, statusCode: 503);
        }

        var status = SenderScript.TryDequeue(out var scripted) ? scripted : 200;
        if (status == 200)
        {
            SenderDelivered.Enqueue(call);
        }

        return status == 200
            ? Results.Json(new { result = new { message_id = $"msg-{Interlocked.Increment(ref _messageIds)}" } })
            : Results.Json(new { error = status == 400 ? "invalid email" : "internal error" }, statusCode: status);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
