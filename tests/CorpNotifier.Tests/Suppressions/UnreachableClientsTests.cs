using CorpNotifier.Admin;
using CorpNotifier.Deliveries;
using CorpNotifier.Suppressions;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>The attention page's clients with no reachable address: every address of theirs suppressed.</summary>
public sealed class UnreachableClientsTests(SuppressionHost fixture) : IClassFixture<SuppressionHost>
{
    private async Task<IReadOnlyList<UnreachableClientView>> UnreachableAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SuppressionQueries>().UnreachableClientsAsync(50, CancellationToken.None);
    }

    [Fact]
    public async Task A_client_is_unreachable_once_its_last_address_is_suppressed_and_not_before()
    {
        await fixture.Host.PostAndWaitAsync(fixture.Host.Events.Profile("reach-1", ["a@reach1.example", "B@reach1.example"]));
        await fixture.ReportAsync(fixture.Report("reach-1", "a@reach1.example", DeliveryOutcome.HardBounce));
        (await UnreachableAsync()).ShouldNotContain(c => c.ClientId == "reach-1");

        await fixture.ReportAsync(fixture.Report("reach-1", "b@REACH1.example", DeliveryOutcome.Complained));

        var client = (await UnreachableAsync()).Where(c => c.ClientId == "reach-1").ShouldHaveSingleItem();
        client.Addresses.ShouldBe(2);
        client.Name.ShouldBe("Acme LLC");
    }
}
