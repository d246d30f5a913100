using CorpNotifier.Contracts;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>
/// Parked events as the intake stores them — the row waiting (or expired) for a contract, the event
/// as it came kept to run it later, written by the service's own wire writer — without waiting
/// through the in-process retries a delivery makes first.
/// </summary>
internal static class ParkedEventRows
{
    /// <summary>Stores <paramref name="evt"/> parked for its contract, received at <paramref name="receivedAt"/> (now by default).</summary>
    public static Task ParkAsync(this TestHost host, BalanceChanged evt, EventStatus status = EventStatus.Waiting, DateTimeOffset? receivedAt = null) =>
        host.WithDbAsync(async db =>
        {
            var wire = EventEnvelopeReader.Write(evt).ToJsonString();
            var waiting = $"waiting for contract {evt.ContractId}";
            db.Events.Add(new EventRecord
            {
                EventId = evt.EventId,
                Type = nameof(BalanceChanged),
                ClientId = evt.ClientId,
                OccurredAt = evt.OccurredAt,
                ReceivedAt = receivedAt ?? host.Clock.GetUtcNow(),
                Payload = wire,
                Outcome = status == EventStatus.Expired ? $"expired {waiting}" : waiting,
                Status = status,
                Missing = MissingData.Contract,
                MissingId = evt.ContractId,
                ParkedPayload = wire,
            });
            return await db.SaveChangesAsync();
        });

    /// <summary>The event's row as it is now.</summary>
    public static Task<EventRecord> EventRowAsync(this TestHost host, string eventId) =>
        host.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Events), e => e.EventId == eventId));
}
