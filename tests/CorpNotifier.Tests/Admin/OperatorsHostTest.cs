using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>
/// The setting of the tests of operators' actions: a host that knows <c>client-1</c>, an
/// operator's, an admin's and a viewer's API clients, and a manual send of a low-balance notice.
/// </summary>
public abstract class OperatorsHostTest : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    protected TestHost Host { get; } = new();

    protected HttpClient OperatorApi { get; private set; } = null!;

    protected HttpClient AdminApi { get; private set; } = null!;

    protected HttpClient ViewerApi { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OperatorApi = Host.Client(Roles.Operator);
        AdminApi = Host.Client(Roles.Admin);
        ViewerApi = Host.Client(Roles.Viewer);
        await Host.PostAndWaitAsync(Host.Events.Profile("client-1"));
    }

    public async Task DisposeAsync()
    {
        OperatorApi.Dispose();
        AdminApi.Dispose();
        ViewerApi.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>The body of a manual send of a low-balance notice for contract <c>k-1</c>, now or at <paramref name="sendAt"/>.</summary>
    protected static object LowBalance(DateTimeOffset? sendAt) => new
    {
        kind = "LowBalanceNotice",
        contractId = "k-1",
        args = new { old_balance = "150", new_balance = "5", currency = "RUB" },
        sendAt,
    };

    /// <summary>An operator's manual send of a low-balance notice to <paramref name="clientId"/>; it must be created.</summary>
    protected async Task<NoticeView> ManualAsync(string clientId = "client-1", DateTimeOffset? sendAt = null)
    {
        using var response = await OperatorApi.PostAsJsonAsync($"/api/v1/clients/{clientId}/notices", LowBalance(sendAt));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NoticeView>(Web))!;
    }
}
