using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Clients;

/// <summary>The directory fed by events (<c>ClientDirectory = Local</c>, the default).</summary>
public sealed class LocalClientDirectory(NoticesDbContext db) : IClientDirectory
{
    public async Task<ClientProfile?> FindClientAsync(string clientId, CancellationToken cancellationToken)
    {
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        return client is null
            ? null
            : new ClientProfile(
                client.ClientId,
                client.Name,
                client.Country,
                client.Locale,
                client.TimeZone,
                client.Emails,
                client.HasSuccessfulOrder);
    }

    public async Task<ContractProfile?> FindContractAsync(string contractId, CancellationToken cancellationToken)
    {
        var contract = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.ContractId == contractId, cancellationToken);
        return contract is null
            ? null
            : new ContractProfile(
                contract.ContractId,
                contract.ClientId,
                contract.ExternalId,
                contract.State);
    }
}
