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

    [Fact]
    public async Task Addresses_an_operator_suppressed_without_naming_a_client_make_their_client_unreachable_too()
    {
        await fixture.Host.PostAndWaitAsync(fixture.Host.Events.Profile("reach-2", ["Desk@Reach2.example", "c@reach2.example"]));

        async Task SuppressAsync(string address)
        {
            await using var scope = fixture.Host.Services.CreateAsyncScope();
            (await scope.ServiceProvider.GetRequiredService<SuppressionOperations>()
                    .AddAsync(new SuppressionBody(address, "the client asked us on the phone", null), new Actor("ops", CorpNotifier.Auth.Roles.Admin), CancellationToken.None))
                .ShouldBeOfType<SuppressionResult.Done>();
        }

        await SuppressAsync("desk@REACH2.example");
        (await UnreachableAsync()).ShouldNotContain(c => c.ClientId == "reach-2");

        await SuppressAsync("C@reach2.example");

        (await UnreachableAsync()).Where(c => c.ClientId == "reach-2").ShouldHaveSingleItem().Addresses.ShouldBe(2);
    }
}
