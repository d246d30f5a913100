using CorpNotifier.Deliveries;
using CorpNotifier.Dispatch;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using CorpNotifier.Suppressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>A client's erasure leaves a keyed hash on the list: no address, no note, and the address still blocked.</summary>
public sealed class SuppressionErasureTests(SuppressionHost fixture) : IClassFixture<SuppressionHost>
{
    private async Task<int> EraseAsync(ClientErasure erasure)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var eraser = scope.ServiceProvider.GetServices<IClientDataEraser>().OfType<SuppressionEraser>().Single();
        var changed = await eraser.EraseAsync(erasure, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<NoticesDbContext>().SaveChangesAsync();
        return changed;
    }

    private async Task<IReadOnlyList<BlockedRecipient>> BlockedAsync(params string[] recipients)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var filter = scope.ServiceProvider.GetServices<IRecipientFilter>().OfType<SuppressionFilter>().Single();
        return await filter.BlockedAsync(new RecipientCheck(1, "LowBalanceNotice", "whoever", fixture.Host.Clock.GetUtcNow()), recipients, CancellationToken.None);
    }

    [Fact]
    public async Task An_erased_clients_entries_keep_the_hash_reason_and_moment_lose_the_address_and_note_and_still_block_the_address()
    {
        await fixture.ReportAsync(fixture.Report("erase-1", "Anna@Erase1.example", DeliveryOutcome.HardBounce, "550 anna@erase1.example unknown", noticeId: 31));
        var before = (await fixture.EntriesAsync("erase-1")).ShouldHaveSingleItem();
        var at = fixture.Host.Clock.GetUtcNow();

        (await EraseAsync(new ClientErasure("erase-1", ["anna@erase1.example"], "test-admin", "the client asked", at))).ShouldBe(1);

        var after = (await fixture.EntriesAsync("erase-1")).ShouldHaveSingleItem();
        after.Address.ShouldBeNull();
        after.Note.ShouldBeNull();
        after.ErasedAt.ShouldBe(at);
        after.AddressHash.ShouldBe(before.AddressHash);
        after.Reason.ShouldBe(SuppressionReasons.HardBounce);
        after.CreatedAt.ShouldBe(before.CreatedAt);
        after.NoticeId.ShouldBe(31);

        var blocked = (await BlockedAsync("ANNA@erase1.example")).ShouldHaveSingleItem();
        blocked.ReasonCode.ShouldBe(ReasonCodes.Suppressed);
        blocked.Reason.ShouldBe("hard bounce on letter 31");
        var text = await fixture.Host.WithDbAsync(db => db.Suppressions.AsNoTracking().Where(s => s.Id == after.Id).Select(s => s.Address + s.Note + s.CreatedBy).SingleAsync());
        text.ShouldNotContain("anna", Case.Insensitive);
    }

    [Fact]
    public async Task An_erasure_reaches_an_entry_recorded_under_another_client_by_the_address()
    {
        await fixture.ReportAsync(fixture.Report("erase-2-old", "shared@erase2.example", DeliveryOutcome.Complained));

        (await EraseAsync(new ClientErasure("erase-2", ["Shared@Erase2.example"], "test-admin", "asked", fixture.Host.Clock.GetUtcNow()))).ShouldBe(1);

        (await fixture.EntriesAsync("erase-2-old")).ShouldHaveSingleItem().Address.ShouldBeNull();
        (await BlockedAsync("shared@erase2.example")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_erasure_of_a_client_with_no_entries_changes_nothing()
    {
        (await EraseAsync(new ClientErasure("erase-3", ["none@erase3.example"], "test-admin", "asked", fixture.Host.Clock.GetUtcNow()))).ShouldBe(0);
    }
}
