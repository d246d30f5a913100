using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// A letter claimed just before the database went away: its send-time checks fail to read, nothing
/// reaches the mailer, and the claim is handed back once the database is back — the letter goes out
/// then, not after its lease (here an hour) while it is long due.
/// </summary>
public sealed class OutageDuringSendTests
{
    [Fact]
    public async Task A_letter_whose_send_time_checks_lose_the_database_is_sent_once_it_is_back_not_after_its_lease()
    {
        var outage = new OneOutage();
        using var host = new TestHost(
            new Dictionary<string, string?>
            {
                ["Dispatch:Lease"] = "01:00:00",
                ["Notices:LowBalanceNotice:Offset"] = "01:00:00",
            },
            services =>
            {
                services.RemoveAll<IClientDirectory>();
                services.AddScoped<IClientDirectory>(sp => new FailingOnce(ActivatorUtilities.CreateInstance<LocalClientDirectory>(sp), outage));
            });

        await host.PostAndWaitAsync(host.Events.Profile("client-42", ["billing@acme.example"]));
        await host.PostAndWaitAsync(host.Events.ContractResync("client-42"));
        await host.PostAndWaitAsync(host.Events.Balance("client-42", 150, 50, eventId: "balance-1"));
        (await host.NoticesAsync("client-42")).ShouldHaveSingleItem().Status.ShouldBe(NoticeStatus.Pending);

        outage.Arm();
        host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var sent = await Eventually.MatchAsync(
            () => host.NoticesAsync("client-42"),
            n => n.Count == 1 && n[0].Status == NoticeStatus.Sent,
            "the letter to be sent once the database is back",
            diagnostics: () => $"outage hit: {outage.Hit}");

        outage.Hit.ShouldBeTrue("the send-time read failed as if the database were gone");
        sent[0].Attempts.ShouldBe(2, "the interrupted claim and the one that sent it");
        host.Letters().ShouldHaveSingleItem();
    }

    /// <summary>Fails the first read after it is armed, as SQLite does when its file cannot be opened.</summary>
    private sealed class OneOutage
    {
        private int _armed;

        public bool Hit { get; private set; }

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public void ThrowIfArmed()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Hit = true;
                throw new SqliteException("unable to open database file", 14);
            }
        }
    }

    private sealed class FailingOnce(IClientDirectory inner, OneOutage outage) : IClientDirectory
    {
        public Task<ClientProfile?> FindClientAsync(string clientId, CancellationToken cancellationToken)
        {
            outage.ThrowIfArmed();
            return inner.FindClientAsync(clientId, cancellationToken);
        }

        public Task<ContractProfile?> FindContractAsync(string contractId, CancellationToken cancellationToken)
        {
            outage.ThrowIfArmed();
            return inner.FindContractAsync(contractId, cancellationToken);
        }

        public Task<(ClientProfile? Client, ContractProfile? Contract)> FindClientAndContractAsync(string? clientId, string? contractId, CancellationToken cancellationToken)
        {
            outage.ThrowIfArmed();
            return inner.FindClientAndContractAsync(clientId, contractId, cancellationToken);
        }

        public Task<ContractProfile?> FindActiveContractAsync(string clientId, string service, CancellationToken cancellationToken) =>
            inner.FindActiveContractAsync(clientId, service, cancellationToken);

        public Task<ManagerRequestProfile?> FindPendingActivationAsync(string clientId, CancellationToken cancellationToken) =>
            inner.FindPendingActivationAsync(clientId, cancellationToken);
    }
}
