using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CorpNotifier.SystemTests;

/// <summary>
/// On real PostgreSQL, a cap per recipient holds across clients who share an address: the transaction
/// counting letters to an address holds that address's lock until it ends, whatever the address's case,
/// so another client's event waits for it instead of counting beside it.
/// </summary>
public sealed class RecipientLockTests : SystemTest
{
    [Fact]
    public async Task A_transaction_counting_letters_to_an_address_makes_another_one_to_the_same_address_wait_until_it_ends()
    {
        await using var first = Env.Db();
        await using var second = Env.Db();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await ClientLock.AcquireRecipientsAsync(first, ["Billing@Acme.example", "ceo@acme.example"], default);

        await using var secondTransaction = await second.Database.BeginTransactionAsync();
        var secondPid = await BackendPidAsync(second);
        var waiting = ClientLock.AcquireRecipientsAsync(second, ["billing@acme.example "], default);
        await Eventually.MatchAsync(() => WaitsForAdvisoryLockAsync(secondPid), waits => waits, "the second transaction to wait for the address's lock");
        waiting.IsCompleted.ShouldBeFalse();

        // Another address is not held: a third transaction takes it at once.
        await using (var third = Env.Db())
        {
            await using var thirdTransaction = await third.Database.BeginTransactionAsync();
            await ClientLock.AcquireRecipientsAsync(third, ["finance@other.example"], default).WaitAsync(TimeSpan.FromSeconds(30));
            await thirdTransaction.RollbackAsync();
        }

        await firstTransaction.CommitAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        await secondTransaction.RollbackAsync();
    }

    private static async Task<int> BackendPidAsync(NoticesDbContext db)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private async Task<bool> WaitsForAdvisoryLockAsync(int pid)
    {
        await using var connection = new NpgsqlConnection(Env.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE pid = @pid AND locktype = 'advisory' AND NOT granted", connection);
        command.Parameters.AddWithValue("pid", pid);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
