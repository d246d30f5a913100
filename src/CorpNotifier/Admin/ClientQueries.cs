using CorpNotifier.Clients;
using CorpNotifier.Intake;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>A client as operators look it up, for the console's client page.</summary>
public sealed class ClientQueries(NoticesDbContext db, NoticeQueries notices, IClientDirectory directory)
{
    /// <summary>
    /// A client at a glance: its profile from the client directory (or why the directory did not
    /// answer), its contracts, what is scheduled in the next <paramref name="agendaDays"/> days, its
    /// latest notices and the latest events about it.
    /// </summary>
    public async Task<ClientView> ClientAsync(string clientId, int agendaDays, int noticeLimit, int eventLimit, CancellationToken cancellationToken)
    {
        ClientProfile? profile = null;
        string? problem = null;
        try
        {
            profile = await directory.FindClientAsync(clientId, cancellationToken);
        }
        catch (ClientDirectoryUnavailableException ex)
        {
            problem = ex.Message;
        }

        var contracts = await db.Contracts.AsNoTracking().Where(c => c.ClientId == clientId).OrderBy(c => c.ContractId).ToListAsync(cancellationToken);
        var events = await db.Events.AsNoTracking()
            .Where(e => e.ClientId == clientId)
            .OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.EventId)
            .Take(eventLimit)
            .ToListAsync(cancellationToken);
        return new ClientView(
            clientId,
            profile,
            problem,
            [.. contracts.Select(ContractView.From)],
            (await notices.AgendaAsync(clientId, agendaDays, cancellationToken)).Value ?? [],
            (await notices.ClientNoticesAsync(clientId, noticeLimit, cancellationToken)).Value ?? [],
            [.. events.Select(EventSummary.From)]);
    }
}
