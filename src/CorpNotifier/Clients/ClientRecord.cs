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

/// <summary>
/// The local directory's copy of a client's accepted sales-manager request (table
/// <c>manager_requests</c>): what the activation letter needs, and whether it went out.
/// </summary>
public sealed class ManagerRequestRecord
{
    public required string RequestId { get; set; }

    public required string ClientId { get; set; }

    /// <summary><c>taxi</c> or <c>cargo</c>.</summary>
    public required string Service { get; set; }

    /// <summary><c>prepaid</c> or <c>postpaid</c>.</summary>
    public required string ContractType { get; set; }

    public required string ClientLogin { get; set; }

    /// <summary>The client's temporary password as the Fernet token the request service sent; never in plain text.</summary>
    public string? EncryptedPassword { get; set; }

    public required string Country { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>The activation letter, once one was sent for this request: never another.</summary>
    public long? ActivationNoticeId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
