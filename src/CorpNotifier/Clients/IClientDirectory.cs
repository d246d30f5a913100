using CorpNotifier.Contracts;

namespace CorpNotifier.Clients;

/// <summary>What notices need to know about a client.</summary>
public sealed record ClientProfile(
    string ClientId,
    string? Name,
    string? Country,
    string? Locale,
    string? TimeZone,
    IReadOnlyList<string> Emails,
    bool HasSuccessfulOrder);

/// <summary>What notices need to know about a contract: its latest state.</summary>
public sealed record ContractProfile(
    string ContractId,
    string ClientId,
    string? ExternalId,
    ContractState State)
{
    public bool HasService(string service) =>
        State.Services.Any(s => string.Equals(s, service, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A client's accepted sales-manager request whose activation letter has not gone out yet: what
/// the letter that activates the contract needs (the login, and the temporary password as the
/// Fernet token the request service sent).
/// </summary>
public sealed record ManagerRequestProfile(
    string RequestId,
    string ClientId,
    string Service,
    string ContractType,
    string ClientLogin,
    string? EncryptedPassword,
    string Country);

/// <summary>
/// Data gathering: the client and contract facts rules and send-time checks read.
/// <c>Local</c> reads the copy fed by events; <c>Http</c> asks the owning service.
/// </summary>
public interface IClientDirectory
{
    Task<ClientProfile?> FindClientAsync(string clientId, CancellationToken cancellationToken);

    Task<ContractProfile?> FindContractAsync(string contractId, CancellationToken cancellationToken);

    /// <summary>A client and a contract together (either id may be absent); a directory that can, answers in one round trip.</summary>
    async Task<(ClientProfile? Client, ContractProfile? Contract)> FindClientAndContractAsync(string? clientId, string? contractId, CancellationToken cancellationToken) =>
        (clientId is null ? null : await FindClientAsync(clientId, cancellationToken),
         contractId is null ? null : await FindContractAsync(contractId, cancellationToken));

    /// <summary>
    /// Clients and contracts by id (a batch of events' data); those not known are absent. A
    /// directory that can, answers in one round trip for each.
    /// </summary>
    async Task<DirectoryData> FindManyAsync(IReadOnlyCollection<string> clientIds, IReadOnlyCollection<string> contractIds, CancellationToken cancellationToken)
    {
        var clients = new Dictionary<string, ClientProfile>(StringComparer.Ordinal);
        foreach (var id in clientIds.Distinct(StringComparer.Ordinal))
        {
            if (await FindClientAsync(id, cancellationToken) is { } client)
            {
                clients[id] = client;
            }
        }

        var contracts = new Dictionary<string, ContractProfile>(StringComparer.Ordinal);
        foreach (var id in contractIds.Distinct(StringComparer.Ordinal))
        {
            if (await FindContractAsync(id, cancellationToken) is { } contract)
            {
                contracts[id] = contract;
            }
        }

        return new DirectoryData(clients, contracts);
    }

    /// <summary>The client's active contract with <paramref name="service"/>, if it has one (the latest when several).</summary>
    Task<ContractProfile?> FindActiveContractAsync(string clientId, string service, CancellationToken cancellationToken);

    /// <summary>The client's accepted manager request whose activation letter has not gone out, if any.</summary>
    Task<ManagerRequestProfile?> FindPendingActivationAsync(string clientId, CancellationToken cancellationToken);
}

/// <summary>Clients and contracts by id, as <see cref="IClientDirectory.FindManyAsync"/> found them.</summary>
public sealed record DirectoryData(IReadOnlyDictionary<string, ClientProfile> Clients, IReadOnlyDictionary<string, ContractProfile> Contracts);

/// <summary>The directory could not answer (timeout, 5xx); the caller retries later.</summary>
public sealed class ClientDirectoryUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);
