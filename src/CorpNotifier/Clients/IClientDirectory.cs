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
/// Data gathering: the client and contract facts rules and send-time checks read.
/// <c>Local</c> reads the copy fed by events; <c>Http</c> asks the owning service.
/// </summary>
public interface IClientDirectory
{
    Task<ClientProfile?> FindClientAsync(string clientId, CancellationToken cancellationToken);

    Task<ContractProfile?> FindContractAsync(string contractId, CancellationToken cancellationToken);
}

/// <summary>The directory could not answer (timeout, 5xx); the caller retries later.</summary>
public sealed class ClientDirectoryUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);
