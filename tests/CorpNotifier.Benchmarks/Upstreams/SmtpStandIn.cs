using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using CorpNotifier.Benchmarks.Hosting;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CorpNotifier.Benchmarks.Upstreams;

/// <summary>
/// An SMTP server on loopback (the SmtpServer package) that accepts every message and records it by
/// its <c>X-Notice-Id</c> header, the notice the service sent.
/// </summary>
public sealed class SmtpStandIn : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public SmtpStandIn()
    {
        Port = FreePort.Next();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Receipts));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Keyed by notice id.</summary>
    public ConcurrentQueue<Receipt> Receipts { get; } = new();

    public int Count => Receipts.Count;

    public Dictionary<string, string> ServiceSettings() => new()
    {
        ["Mailer"] = "Smtp",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<Receipt> receipts) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var at = Moment.Now;
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            receipts.Enqueue(new Receipt(message.Headers["X-Notice-Id"] ?? "", at));
            return SmtpResponse.Ok;
        }
    }
}
