using CorpNotifier.Persistence;
using MassTransit;

namespace CorpNotifier.Messaging;

/// <summary>
/// The outermost filter of every receive endpoint: a message is consumed only while the database
/// is available. When its consumer finds the database unreachable, the message is held (not
/// acknowledged, not retried, never moved to the error queue) until <see cref="DatabaseWatch"/>
/// sees the database answer again, then consumed afresh with a full retry budget. While the
/// database is down an endpoint therefore stops taking messages beyond those it holds.
/// </summary>
/// <remarks>
/// A failure that looks like an outage while the database is in fact reachable (the watcher's own
/// probe succeeds at once) is not waited out forever: after <see cref="FalseAlarms"/> of them the
/// message goes the normal way (retry, then the error queue), so it cannot spin.
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
            try
            {
                await next.Send(context);
                return;
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !context.CancellationToken.IsCancellationRequested)
            {
                availability.ReportUnavailable(ex, time.GetUtcNow());
                await availability.WaitUntilAvailableAsync(context.CancellationToken);
                if (availability.ConfirmedOutages == outagesBefore && ++falseAlarms >= FalseAlarms)
                {
                    throw;
                }
            }
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("databaseGate");
}

public static class DatabaseGateExtensions
{
    /// <summary>Holds messages while the database is unavailable; call before <c>UseMessageRetry</c> so it sits outside it.</summary>
    public static void UseDatabaseGate(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseFilter(new DatabaseGateFilter(context.GetRequiredService<DatabaseAvailability>(), context.GetRequiredService<TimeProvider>()));
}
