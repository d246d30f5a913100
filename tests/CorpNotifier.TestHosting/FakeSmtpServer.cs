using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CorpNotifier.TestHosting;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package, no TLS) that accepts every message. Each
/// one is kept whole in <see cref="Messages"/> (for tests that read a letter), unless told not to,
/// and counted once in <see cref="Receipts"/> by its <c>X-Notice-Id</c> header, the notice the
/// service sent, with the moment it arrived (for the benchmarks, which count and time letters).
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    /// <param name="keepMessages">False keeps only the receipts: a benchmark's thousands of letters are counted, not read.</param>
    public FakeSmtpServer(bool keepMessages = true)
    {
        Port = FreePort.Next();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this, keepMessages));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Every message received, parsed (empty when made with <c>keepMessages: false</c>).</summary>
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>Every message received, once each: its <c>X-Notice-Id</c> and when it arrived.</summary>
    public ConcurrentQueue<Receipt> Receipts { get; } = new();

    /// <summary>How many messages arrived.</summary>
    public int Count => Receipts.Count;

    /// <summary>The settings that make the service send its letters here.</summary>
    public Dictionary<string, string> ServiceSettings() => new()
    {
        ["Mailer"] = "Smtp",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(CultureInfo.InvariantCulture),
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
            // stopped, as asked
        }

        _stop.Dispose();
    }

    private sealed class Store(FakeSmtpServer server, bool keepMessages) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var at = Moment.Now;
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            if (keepMessages)
            {
                server.Messages.Enqueue(message);
            }

            server.Receipts.Enqueue(new Receipt(message.Headers["X-Notice-Id"] ?? "", at));
            return SmtpResponse.Ok;
        }
    }
}
