using System.Net.Sockets;
using CorpNotifier.Messaging;
using CorpNotifier.Persistence;
using CorpNotifier.Tests.Integration;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Tests.Messaging;

/// <summary>
/// The gate on the in-memory bus: a message whose consumer finds the database unreachable is held
/// and consumed again once it answers, without being reported as a fault; a false alarm that
/// repeats is reported as the fault it is.
/// </summary>
public sealed class DatabaseGateFilterTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private readonly DatabaseAvailability _availability = new();
    private readonly CancellationTokenSource _stop = new();
    private ServiceProvider _services = null!;

    /// <summary>Whether the stand-in for the watch finds the database down at its first probe (a real outage) or up (a false alarm).</summary>
    private bool _probeFails;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug))
            .AddSingleton(_availability)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<Attempts>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<FlakyConsumer>();
                bus.UsingInMemory((context, cfg) => cfg.ReceiveEndpoint("gated", endpoint =>
                {
                    endpoint.UseDatabaseGate(context);
                    endpoint.UseMessageRetry(retry =>
                    {
                        retry.Ignore<Exception>(DatabaseFaults.IsUnavailable);
                        retry.Immediate(2);
                    });
                    endpoint.ConfigureConsumer<FlakyConsumer>(context);
                }));
            })
            .BuildServiceProvider(true);
        _availability.Open(DateTimeOffset.UtcNow, afterOutage: false);
        _ = WatchAsync(_stop.Token);
        await _services.GetTestHarness().Start();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _services.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task A_message_held_through_an_outage_is_consumed_after_it_and_reported_as_no_fault()
    {
        _probeFails = true;
        _services.GetRequiredService<Attempts>().Unavailable = 2;
        var harness = _services.GetTestHarness();

        await harness.Bus.Publish(new Ping("p-1"));

        (await harness.Consumed.Any<Ping>(m => m.Context.Message.Id == "p-1" && m.Exception is null)).ShouldBeTrue();
        _services.GetRequiredService<Attempts>().Count.ShouldBe(3);
        (await harness.Published.Any<Fault<Ping>>()).ShouldBeFalse("a held message did not fault");
        var faults = _logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        faults.ShouldBeEmpty(string.Join("\n", faults.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
    }

    [Fact]
    public async Task A_failure_that_looks_like_an_outage_while_the_database_answers_faults_after_the_false_alarms_and_says_so()
    {
        _probeFails = false;
        _services.GetRequiredService<Attempts>().Unavailable = int.MaxValue;
        var harness = _services.GetTestHarness();

        await harness.Bus.Publish(new Ping("p-2"));

        (await harness.Published.Any<Fault<Ping>>(m => m.Context.Message.Message.Id == "p-2")).ShouldBeTrue();
        _services.GetRequiredService<Attempts>().Count.ShouldBe(DatabaseGateFilter.FalseAlarms);
        await Eventually.MatchAsync(
            () => Task.FromResult(_logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("R-FAULT", StringComparison.Ordinal))),
            n => n == 1,
            "one R-FAULT line for the message that faulted");
    }

    /// <summary>Stands in for <see cref="DatabaseWatch"/>: probes once after each report, then opens the gate.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _availability.WaitUntilLostAsync(cancellationToken);
            if (_probeFails)
            {
                _availability.ProbeFailed("unreachable: test", DateTimeOffset.UtcNow);
            }

            _availability.Open(DateTimeOffset.UtcNow, afterOutage: true);
        }
    }

    public sealed record Ping(string Id);

    public sealed class Attempts
    {
        private int _count;

        /// <summary>How many attempts find the database unreachable before one succeeds.</summary>
        public int Unavailable { get; set; }

        public int Count => _count;

        public int Next() => Interlocked.Increment(ref _count);
    }

    public sealed class FlakyConsumer(Attempts attempts) : IConsumer<Ping>
    {
        public Task Consume(ConsumeContext<Ping> context) =>
            attempts.Next() <= attempts.Unavailable
                ? throw new InvalidOperationException("a command failed", new SocketException((int)SocketError.ConnectionRefused))
                : Task.CompletedTask;
    }
}
