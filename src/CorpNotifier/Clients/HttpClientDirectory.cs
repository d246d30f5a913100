using System.ComponentModel.DataAnnotations;
using System.Net;
using CorpNotifier.Contracts;
using CorpNotifier.Hosting;

namespace CorpNotifier.Clients;

/// <summary>Section <c>HttpDirectory</c>: the owning service's address when <c>ClientDirectory = Http</c>.</summary>
public sealed class HttpDirectoryOptions
{
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>Per attempt; the standard resilience pipeline retries transient failures.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(0, 10)]
    public int Retries { get; set; } = 3;
}

/// <summary>
/// The directory of the owning service (<c>ClientDirectory = Http</c>):
/// <c>GET {BaseUrl}/v1/clients/{id}</c> and <c>GET {BaseUrl}/v1/contracts/{id}</c>; docs/client-directory.md
/// describes the JSON. 404 means "unknown"; anything else that is not 2xx is "unavailable, retry later".
/// </summary>
public sealed class HttpClientDirectory(HttpClient http) : IClientDirectory
{
    public async Task<ClientProfile?> FindClientAsync(string clientId, CancellationToken cancellationToken)
    {
        var dto = await GetAsync<ClientDto>($"v1/clients/{Uri.EscapeDataString(clientId)}", cancellationToken);
        return dto is null
            ? null
            : new ClientProfile(dto.ClientId ?? clientId, dto.Name, dto.Country, dto.Locale, dto.TimeZone, dto.Emails ?? [], dto.HasSuccessfulOrder);
    }

    public async Task<ContractProfile?> FindContractAsync(string contractId, CancellationToken cancellationToken)
    {
        var dto = await GetAsync<ContractDto>($"v1/contracts/{Uri.EscapeDataString(contractId)}", cancellationToken);
        return dto?.State is null || dto.ClientId is null
            ? null
            : new ContractProfile(dto.ContractId ?? contractId, dto.ClientId, dto.ExternalId, dto.State);
    }

    public async Task<ContractProfile?> FindActiveContractAsync(string clientId, string service, CancellationToken cancellationToken)
    {
        var contracts = await GetAsync<List<ContractDto>>($"v1/clients/{Uri.EscapeDataString(clientId)}/contracts", cancellationToken) ?? [];
        return contracts
            .Where(c => c.ContractId is not null && c.State is not null)
            .Select(c => new ContractProfile(c.ContractId!, clientId, c.ExternalId, c.State!))
            .FirstOrDefault(c => c.State.IsActive && c.HasService(service));
    }

    public async Task<ManagerRequestProfile?> FindPendingActivationAsync(string clientId, CancellationToken cancellationToken)
    {
        var dto = await GetAsync<ManagerRequestDto>($"v1/clients/{Uri.EscapeDataString(clientId)}/manager-request", cancellationToken);
        return dto is { RequestId: { } requestId, Service: { } service, ContractType: { } contractType, ClientLogin: { } login, ActivationEmailSent: false }
            ? new ManagerRequestProfile(requestId, clientId, service, contractType, login, dto.EncryptedPassword, dto.Country ?? "")
            : null;
    }

    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ClientDirectoryUnavailableException($"client directory answered {(int)response.StatusCode} for {path}");
            }

            return await response.Content.ReadFromJsonAsync<T>(AppJson.Contracts, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException or System.Text.Json.JsonException
            && !cancellationToken.IsCancellationRequested)
        {
            throw new ClientDirectoryUnavailableException($"client directory did not answer for {path}: {ex.Message}", ex);
        }
    }

    // Every field is optional on the wire: a missing one is "not known", never a failure.
    private sealed class ClientDto
    {
        public string? ClientId { get; init; }

        public string? Name { get; init; }

        public string? Country { get; init; }

        public string? Locale { get; init; }

        public string? TimeZone { get; init; }

        public List<string>? Emails { get; init; }

        public bool HasSuccessfulOrder { get; init; }
    }

    private sealed class ContractDto
    {
        public string? ContractId { get; init; }

        public string? ClientId { get; init; }

        public string? ExternalId { get; init; }

        public ContractState? State { get; init; }
    }

    private sealed class ManagerRequestDto
    {
        public string? RequestId { get; init; }

        public string? Service { get; init; }

        public string? ContractType { get; init; }

        public string? ClientLogin { get; init; }

        public string? EncryptedPassword { get; init; }

        public string? Country { get; init; }

        public bool ActivationEmailSent { get; init; }
    }
}
