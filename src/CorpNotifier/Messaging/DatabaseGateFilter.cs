using CorpNotifier.Persistence;
using MassTransit;
using MassTransit.Context;

namespace CorpNotifier.Messaging;

/// <summary>
/// The outermost filter of every receive endpoint: a message is consumed only while the database
/// is available. When its consumer finds the database unreachable, the message is held (not
/// acknowledged, not retried, never moved to the error queue) until <see cref="DatabaseWatch"/>
/// sees the database answer again, then consumed afresh with a full retry budget. While the
/// database is down an endpoint therefore stops taking messages beyond those it holds.
/// </summary>
/// <remarks>
/// <para>
/// A message held this way has not faulted, so nothing says it did: the consumer's failure is not
/// reported to MassTransit (which would log <c>R-FAULT</c> at Error and publish a <c>Fault&lt;T&gt;</c>)
/// while the gate waits. The watcher logs the outage once, when the database goes down and when it
/// is back.
/// </para>
/// <para>
/// A failure that looks like an outage while the database is in fact reachable (the watcher's own
/// probe succeeds at once) is not waited out forever: after <see cref="FalseAlarms"/> of them the
/// message goes the normal way (the fault reported and logged, then the error queue), so it cannot
/// spin.
/// </para>
/// </remarks>
public sealed class DatabaseGateFilter(DatabaseAvailability availability, TimeProvider time) : IFilter<ConsumeContext>
{
    public const int FalseAlarms = 3;

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var falseAlarms = 0;
        while (true)
        {
            await availability.WaitUntilAvailableAsync(context.CancellationToken);
            var outagesBefore = availability.ConfirmedOutages;
            var attempt = new GatedConsumeContext(context);
            try
            {
                await next.Send(attempt);
                return;
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !context.CancellationToken.IsCancellationRequested)
            {
                availability.ReportUnavailable(ex, time.GetUtcNow());
                await availability.WaitUntilAvailableAsync(context.CancellationToken);
                if (availability.ConfirmedOutages == outagesBefore && ++falseAlarms >= FalseAlarms)
                {
                    await attempt.ReportHeldFaultAsync();
                    throw;
                }
            }
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("databaseGate");

    /// <summary>
    /// One attempt of a gated message. A consumer that fails because the database is unreachable
    /// tells its context it faulted (through the retry filter, which leaves such failures alone);
    /// that report is held here, not passed on, until the gate knows whether it waits the outage
    /// out (then nothing faulted) or gives up on a false alarm (then the fault is reported as usual).
    /// </summary>
    private sealed class GatedConsumeContext(ConsumeContext context) : ConsumeContextScope(context)
    {
        private readonly ConsumeContext _context = context;
        private Func<Task>? _heldFault;

        public override Task NotifyFaulted<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        {
            if (DatabaseFaults.IsUnavailable(exception) && !context.CancellationToken.IsCancellationRequested)
            {
                _heldFault = () => _context.NotifyFaulted(context, duration, consumerType, exception);
                return Task.CompletedTask;
            }

            return _context.NotifyFaulted(context, duration, consumerType, exception);
        }

        public Task ReportHeldFaultAsync() => _heldFault?.Invoke() ?? Task.CompletedTask;
    }
}

public static class DatabaseGateExtensions
{
    /// <summary>Holds messages while the database is unavailable; call before <c>UseMessageRetry</c> so it sits outside it.</summary>
    public static void UseDatabaseGate(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseFilter(new DatabaseGateFilter(context.GetRequiredService<DatabaseAvailability>(), context.GetRequiredService<TimeProvider>()));
}
