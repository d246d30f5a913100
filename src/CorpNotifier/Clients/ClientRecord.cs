using CorpNotifier.Contracts;

namespace CorpNotifier.Clients;

/// <summary>The local directory's copy of a client's profile, fed by events.</summary>
public sealed class ClientRecord
{
    public required string ClientId { get; set; }

    public string? Name { get; set; }

    public string? Country { get; set; }

    public string? Locale { get; set; }

    public string? TimeZone { get; set; }

    public List<string> Emails { get; set; } = [];

    public bool HasSuccessfulOrder { get; set; }

    /// <summary>When the profile applied was true at the producer; older events do not overwrite newer ones.</summary>
    public DateTimeOffset? ProfileOccurredAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The local directory's copy of a contract's latest state, fed by events.</summary>
public sealed class ContractRecord
{
    public required string ContractId { get; set; }

    public required string ClientId { get; set; }

    public string? ExternalId { get; set; }

    /// <summary>The latest state of the contract.</summary>
    public required ContractState State { get; set; }

    public decimal? Balance { get; set; }

    public DateTimeOffset StateOccurredAt { get; set; }

    public DateTimeOffset? BalanceOccurredAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
