using CorpNotifier.Contracts;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Clients;

/// <summary>
/// Keeps the local directory (latest client profile and contract state, accepted manager requests)
/// in step with events, inside the event's transaction. An older event never overwrites newer data.
/// </summary>
public sealed class LocalDirectoryWriter(NoticesDbContext db)
{
    /// <summary>
    /// Loads into the unit of work, in one query per table, the clients and contracts that
    /// <see cref="ApplyAsync"/> will change for <paramref name="events"/> (a batch processed in one
    /// transaction, under their clients' locks): each event then finds its row there instead of
    /// reading it alone. Rows not stored yet are read again by the event that adds them.
    /// </summary>
    public async Task PrefetchAsync(IReadOnlyList<IEvent> events, CancellationToken cancellationToken)
    {
        var contractIds = events.Select(evt => evt switch
        {
            BalanceChanged e => e.ContractId,
            ContractChanged e => e.ContractId,
            _ => null,
        }).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var clientIds = events.Select(evt => evt switch
        {
            ClientProfileChanged e => e.ClientId,
            OrderCompleted e => e.ClientId,
            _ => null,
        }).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (contractIds.Count > 0)
        {
            await db.Contracts.Where(c => contractIds.Contains(c.ContractId)).LoadAsync(cancellationToken);
        }

        if (clientIds.Count > 0)
        {
            await db.Clients.Where(c => clientIds.Contains(c.ClientId)).LoadAsync(cancellationToken);
        }
    }

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
            case ManagerRequestStatusChanged { New.Status: ManagerRequestStatuses.Accepted } e when (e.ClientId ?? e.Request.ClientId) is { } requestClient:
                var request = await db.ManagerRequests.FindAsync([e.RequestId], cancellationToken);
                if (request is null)
                {
                    db.ManagerRequests.Add(request = new ManagerRequestRecord
                    {
                        RequestId = e.RequestId,
                        ClientId = requestClient,
                        Service = e.Request.Service,
                        ContractType = e.Request.ContractType,
                        ClientLogin = e.Request.ClientLogin,
                        Country = e.Request.Country,
                    });
                }

                // An activation letter already sent stays sent; the rest follows the latest acceptance.
                (request.ClientId, request.Service, request.ContractType, request.ClientLogin, request.Country) =
                    (requestClient, e.Request.Service, e.Request.ContractType, e.Request.ClientLogin, e.Request.Country);
                request.EncryptedPassword = e.Request.ClientTmpPassword ?? request.EncryptedPassword;
                request.AcceptedAt = e.OccurredAt;
                request.UpdatedAt = now;
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

    /// <summary>The request's activation letter was sent (in the transaction that records it): the request never gets another.</summary>
    public async Task ActivationLetterSentAsync(string requestId, long noticeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.ManagerRequests.FindAsync([requestId], cancellationToken) is { } request)
        {
            request.ActivationNoticeId ??= noticeId;
            request.UpdatedAt = now;
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
