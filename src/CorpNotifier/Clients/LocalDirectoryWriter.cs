using CorpNotifier.Contracts;
using CorpNotifier.Persistence;

namespace CorpNotifier.Clients;

/// <summary>
/// Keeps the local directory (latest client profile and contract state) in step with events,
/// inside the event's transaction. An older event never overwrites newer data.
/// </summary>
public sealed class LocalDirectoryWriter(NoticesDbContext db)
{
    public async Task ApplyAsync(IEvent evt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (evt)
        {
            case ClientProfileChanged e:
                var client = await ClientAsync(e.ClientId, now, cancellationToken);
                if (client.ProfileOccurredAt is null || client.ProfileOccurredAt <= e.OccurredAt)
                {
                    client.Name = e.Name;
                    client.Country = e.Country;
                    client.Locale = e.Locale;
                    client.TimeZone = e.TimeZone;
                    client.Emails = [.. e.Emails];
                    client.ProfileOccurredAt = e.OccurredAt;
                    client.UpdatedAt = now;
                }

                break;
            case OrderCompleted e:
                (await ClientAsync(e.ClientId, now, cancellationToken)).HasSuccessfulOrder = true;
                break;
            case ContractChanged e:
                var contract = await db.Contracts.FindAsync([e.ContractId], cancellationToken);
                if (contract is null)
                {
                    db.Contracts.Add(new ContractRecord
                    {
                        ContractId = e.ContractId,
                        ClientId = e.ClientId,
                        ExternalId = e.ExternalId,
                        State = e.New,
                        StateOccurredAt = e.OccurredAt,
                        UpdatedAt = now,
                    });
                }
                else if (contract.StateOccurredAt <= e.OccurredAt)
                {
                    contract.ClientId = e.ClientId;
                    contract.ExternalId = e.ExternalId ?? contract.ExternalId;
                    contract.State = e.New;
                    contract.StateOccurredAt = e.OccurredAt;
                    contract.UpdatedAt = now;
                }

                break;
            case BalanceChanged e:
                var balanceOf = await db.Contracts.FindAsync([e.ContractId], cancellationToken);
                if (balanceOf is not null && (balanceOf.BalanceOccurredAt is null || balanceOf.BalanceOccurredAt <= e.OccurredAt))
                {
                    balanceOf.Balance = e.NewBalance;
                    balanceOf.BalanceOccurredAt = e.OccurredAt;
                    balanceOf.UpdatedAt = now;
                }

                break;
        }
    }

    private async Task<ClientRecord> ClientAsync(string clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var client = await db.Clients.FindAsync([clientId], cancellationToken);
        if (client is null)
        {
            client = new ClientRecord { ClientId = clientId, UpdatedAt = now };
            db.Clients.Add(client);
        }

        return client;
    }
}
