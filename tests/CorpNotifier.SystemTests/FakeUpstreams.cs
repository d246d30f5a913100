using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Real HTTP servers on loopback standing in for the services corp-notifier calls, on one port (one
/// base URL): the Sender transactional mail API (<see cref="Sender"/>, the stand-in the benchmarks
/// use too, answers scripted per test) and the client directory (answers per test).
/// </summary>
public sealed class FakeUpstreams : IAsyncDisposable
{
    private int? _directoryBudget;
    private int _directoryAnswered;

    public FakeUpstreams()
    {
        Sender = new SenderStandIn(alsoServe: MapDirectory);
    }

    /// <summary>The Sender stand-in; the <c>Sender…</c> members below are its own, by their older names.</summary>
    public SenderStandIn Sender { get; }

    public int Port => Sender.Port;

    public string BaseUrl => Sender.BaseUrl;

    public ConcurrentQueue<SenderCall> SenderCalls => Sender.Calls;

    /// <summary>The calls the Sender accepted (answered 200): the letters that went out.</summary>
    public ConcurrentQueue<SenderCall> SenderDelivered => Sender.Delivered;

    /// <summary>Until this moment the Sender answers every call with 503, as a Sender that is down.</summary>
    public DateTimeOffset SenderDownUntil
    {
        get => Sender.DownUntil;
        set => Sender.DownUntil = value;
    }

    /// <summary>Calls refused with 503 while the Sender was down.</summary>
    public int SenderRefusedWhileDown => Sender.RefusedWhileDown;

    /// <summary>Status codes the Sender answers with, in order; 200 once empty.</summary>
    public ConcurrentQueue<int> SenderScript => Sender.Script;

    /// <summary>How long each Sender call takes.</summary>
    public TimeSpan SenderLatency
    {
        get => Sender.Latency;
        set => Sender.Latency = value;
    }

    public ConcurrentDictionary<string, object> Clients { get; } = new();

    public ConcurrentDictionary<string, object> Contracts { get; } = new();

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

    public ValueTask DisposeAsync() => Sender.DisposeAsync();

    private void MapDirectory(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/clients/{id}", (string id) => DirectoryRefusal() is { } status ? Results.StatusCode(status)
            : Clients.TryGetValue(id, out var client) ? Results.Json(client) : Results.NotFound());
        app.MapGet("/v1/contracts/{id}", (string id) => DirectoryRefusal() is { } status ? Results.StatusCode(status)
            : Contracts.TryGetValue(id, out var contract) ? Results.Json(contract) : Results.NotFound());
    }

    private int? DirectoryRefusal() =>
        DirectoryStatus ?? (DirectoryAnswersBeforeOutage is { } budget && Interlocked.Increment(ref _directoryAnswered) > budget ? 503 : null);
}
