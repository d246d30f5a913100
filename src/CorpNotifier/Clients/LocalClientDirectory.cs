using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Clients;

/// <summary>The directory fed by events (<c>ClientDirectory = Local</c>, the default).</summary>
public sealed class LocalClientDirectory(NoticesDbContext db) : IClientDirectory
{
    public async Task<ClientProfile?> FindClientAsync(string clientId, CancellationToken cancellationToken)
    {
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        return client is null ? null : ToProfile(client);
    }

    public async Task<ContractProfile?> FindContractAsync(string contractId, CancellationToken cancellationToken)
    {
        var contract = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.ContractId == contractId, cancellationToken);
        return contract is null ? null : ToProfile(contract);
    }

    public async Task<ContractProfile?> FindActiveContractAsync(string clientId, string service, CancellationToken cancellationToken)
    {
        var contracts = await db.Contracts.AsNoTracking().Where(c => c.ClientId == clientId).ToListAsync(cancellationToken);
        return contracts
            .Select(ToProfile)
            .Where(c => c.State.IsActive && c.HasService(service))
            .OrderByDescending(c => contracts.First(r => r.ContractId == c.ContractId).StateOccurredAt)
            .FirstOrDefault();
    }

    public async Task<ManagerRequestProfile?> FindPendingActivationAsync(string clientId, CancellationToken cancellationToken)
    {
        var request = await db.ManagerRequests.AsNoTracking()
            .Where(r => r.ClientId == clientId && r.ActivationNoticeId == null)
            .OrderByDescending(r => r.AcceptedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return request is null
            ? null
            : new ManagerRequestProfile(request.RequestId, request.ClientId, request.Service, request.ContractType, request.ClientLogin, request.EncryptedPassword, request.Country);
    }

    public async Task<DirectoryData> FindManyAsync(IReadOnlyCollection<string> clientIds, IReadOnlyCollection<string> contractIds, CancellationToken cancellationToken)
    {
        var clients = clientIds.Count == 0 ? []
            : await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.ClientId)).ToDictionaryAsync(c => c.ClientId, ToProfile, StringComparer.Ordinal, cancellationToken);
        var contracts = contractIds.Count == 0 ? []
            : await db.Contracts.AsNoTracking().Where(c => contractIds.Contains(c.ContractId)).ToDictionaryAsync(c => c.ContractId, ToProfile, StringComparer.Ordinal, cancellationToken);
        return new DirectoryData(clients, contracts);
    }

    private static ClientProfile ToProfile(ClientRecord client) =>
        new(client.ClientId, client.Name, client.Country, client.Locale, client.TimeZone, client.Emails, client.HasSuccessfulOrder);

    private static ContractProfile ToProfile(ContractRecord contract) =>
        new(contract.ContractId, contract.ClientId, contract.ExternalId, contract.State);
}
