using CorpNotifier.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Integration;

/// <summary>Typed events stamped with the host's clock, and posting them the way producers do.</summary>
public static class TestEvents
{
    public static ClientProfileChanged Profile(this TestHost host, string clientId, string[]? emails = null, string locale = "ru") => new()
    {
        EventId = Guid.NewGuid().ToString(),
        OccurredAt = host.Clock.GetUtcNow(),
        ClientId = clientId,
        Name = "Acme LLC",
        Country = "rus",
        Locale = locale,
        TimeZone = "Europe/Moscow",
        Emails = emails ?? [$"{clientId}@clients.example"],
    };

    public static ContractChanged Contract(this TestHost host, string clientId, ContractState? from, ContractState to, string? contractId = null) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        OccurredAt = host.Clock.GetUtcNow(),
        ClientId = clientId,
        ContractId = contractId ?? $"contract-{clientId}",
        ExternalId = "EXT-1",
        Old = from,
        New = to,
    };

    public static BalanceChanged Balance(this TestHost host, string clientId, decimal from, decimal to, string contractId) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        OccurredAt = host.Clock.GetUtcNow(),
        ClientId = clientId,
        ContractId = contractId,
        OldBalance = from,
        NewBalance = to,
        Currency = "RUB",
    };

    public static OrderCompleted Order(this TestHost host, string clientId) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        OccurredAt = host.Clock.GetUtcNow(),
        ClientId = clientId,
        OrderId = Guid.NewGuid().ToString(),
        Service = "taxi",
    };

    /// <summary>Posts an event over HTTP and waits until it was processed, so the next one sees its effects.</summary>
    public static async Task PostAndWaitAsync(this TestHost host, IEvent evt)
    {
        using var response = await host.PostEventAsync(EventEnvelopeReader.Write(evt));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        await Eventually.MatchAsync(() => host.WithDbAsync(db => db.Events.AnyAsync(e => e.EventId == evt.EventId)), seen => seen, $"event {evt.EventId}");
    }
}
