using CorpNotifier.Admin;
using CorpNotifier.Deliveries;
using CorpNotifier.Persistence;
using CorpNotifier.Suppressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The suppression list on PostgreSQL: an address matches in any case, a second entry for one address
/// is stopped by the unique index on its hash and answered as a duplicate (not a 500), and the
/// attention page's query of unreachable clients runs there.
/// </summary>
public sealed class SuppressionStoreTests : SystemTest
{
    private readonly AddressHasher _hasher = new(new string('k', 44));

    private SuppressionListener Listener(NoticesDbContext db) =>
        new(db, _hasher, Options.Create(new SuppressionOptions()), NullLogger<SuppressionListener>.Instance);

    private static DeliveryReport Bounce(string clientId, string recipient) =>
        new(1, clientId, "LowBalanceNotice", recipient, DeliveryOutcome.HardBounce, "550 5.1.1 user unknown", DateTimeOffset.UtcNow, "webhook");

    [Fact]
    public async Task An_entry_added_meanwhile_for_the_same_address_in_another_case_makes_the_admins_add_a_duplicate()
    {
        await using (var db = Env.Db())
        {
            db.Clients.Add(new ClientRecord { ClientId = "pg-client", Name = "Acme", Emails = ["Billing@PG.example"], UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        // A bounce's unit of work sees no entry yet...
        await using var bounce = Env.Db();
        await Listener(bounce).OnDeliveryAsync(Bounce("pg-client", "billing@pg.example"), CancellationToken.None);

        // ...an admin's add of the same address in another case commits first...
        await using (var db = Env.Db())
        {
            var operations = new SuppressionOperations(db, _hasher, TimeProvider.System, NullLogger<SuppressionOperations>.Instance);
            (await operations.AddAsync(new SuppressionBody("BILLING@pg.example", "closed", "pg-client"), new Actor("pg-admin", Auth.Roles.Admin), CancellationToken.None))
                .ShouldBeOfType<SuppressionResult.Done>();
            var again = await operations.AddAsync(new SuppressionBody("billing@PG.EXAMPLE", "again", null), new Actor("pg-admin", Auth.Roles.Admin), CancellationToken.None);
            again.ShouldBeOfType<SuppressionResult.Duplicate>();
        }

        // ...and the bounce's entry is refused by the unique index on the hash, as such.
        var refused = await Should.ThrowAsync<DbUpdateException>(() => bounce.SaveChangesAsync());
        refused.IsUniqueViolationOn("suppressions").ShouldBeTrue();

        await using (var db = Env.Db())
        {
            (await db.Suppressions.CountAsync()).ShouldBe(1);
            var filter = new CorpNotifier.Suppressions.SuppressionFilter(db, _hasher);
            var blocked = await filter.BlockedAsync(new Dispatch.RecipientCheck(2, "LowBalanceNotice", "pg-client", DateTimeOffset.UtcNow), ["Billing@Pg.Example", "other@pg.example"], CancellationToken.None);
            blocked.ShouldHaveSingleItem().Recipient.ShouldBe("Billing@Pg.Example");
            var unreachable = await new SuppressionQueries(db, _hasher).UnreachableClientsAsync(10, CancellationToken.None);
            unreachable.ShouldHaveSingleItem().ClientId.ShouldBe("pg-client");

            // A client found by the address of an entry without a client (an operator's).
            db.Clients.Add(new ClientRecord { ClientId = "pg-desk", Name = "Desk", Emails = ["Desk@PG.example"], UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            var operations = new SuppressionOperations(db, _hasher, TimeProvider.System, NullLogger<SuppressionOperations>.Instance);
            (await operations.AddAsync(new SuppressionBody("desk@pg.EXAMPLE", "asked by phone", null), new Actor("pg-admin", Auth.Roles.Admin), CancellationToken.None))
                .ShouldBeOfType<SuppressionResult.Done>();
            (await new SuppressionQueries(db, _hasher).UnreachableClientsAsync(10, CancellationToken.None)).Select(c => c.ClientId).Order()
                .ShouldBe(["pg-client", "pg-desk"]);
        }
    }
}
