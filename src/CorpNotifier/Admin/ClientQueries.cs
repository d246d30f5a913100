using CorpNotifier.Clients;
using CorpNotifier.Intake;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>A client as operators look it up, for the console's client page.</summary>
public sealed class ClientQueries(NoticesDbContext db, NoticeQueries notices, NoticeWaits waits)
{
    /// <summary>
    /// A client at a glance: its profile from the client directory (or why the directory did not
    /// answer), its contracts, what is scheduled in the next <paramref name="agendaDays"/> days, its
    /// latest notices and the latest events about it.
    /// </summary>
    public async Task<ClientView> ClientAsync(string clientId, int agendaDays, int noticeLimit, int eventLimit, CancellationToken cancellationToken)
    {
        // Read once: the profile, and the zone the agenda's letters are timed in.
        var client = await waits.ClientAsync(clientId, cancellationToken);
        var contracts = await db.Contracts.AsNoTracking().Where(c => c.ClientId == clientId).OrderBy(c => c.ContractId).ToListAsync(cancellationToken);
        var events = await db.Events.AsNoTracking()
            .Where(e => e.ClientId == clientId)
            .OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.EventId)
            .Take(eventLimit)
            .ToListAsync(cancellationToken);
        return new ClientView(
            clientId,
            client.Profile,
            client.Problem,
            [.. contracts.Select(ContractView.From)],
            (await notices.AgendaAsync(clientId, agendaDays, cancellationToken, client)).Value ?? [],
            (await notices.ClientNoticesAsync(clientId, noticeLimit, cancellationToken, client)).Value ?? [],
            [.. events.Select(EventSummary.From)]);
    }
}
