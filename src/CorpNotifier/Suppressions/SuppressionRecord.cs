namespace CorpNotifier.Suppressions;

/// <summary>
/// One address the service no longer writes to (table <c>suppressions</c>): why, the letter that
/// caused it, the client, when and by whom. Found by <see cref="AddressHash"/> (a keyed hash of the
/// normalised address), which outlives the address itself: after the client's erasure the entry
/// keeps the hash, the reason and the moment, and still blocks the address.
/// </summary>
public sealed class SuppressionRecord
{
    public long Id { get; set; }

    /// <summary>The address, trimmed and in lower case; <c>null</c> once the client's data was erased.</summary>
    public string? Address { get; set; }

    /// <summary>HMAC-SHA256 of the normalised address with <c>Suppressions:HashKey</c>, lower-case hex. Unique.</summary>
    public required string AddressHash { get; set; }

    /// <summary>One of <see cref="SuppressionReasons"/>.</summary>
    public required string Reason { get; set; }

    /// <summary>The provider's words (a bounce's status line) or the operator's note; <c>null</c> once erased.</summary>
    public string? Note { get; set; }

    /// <summary>The letter whose delivery report caused it; <c>null</c> for an operator's entry without one.</summary>
    public long? NoticeId { get; set; }

    public string? ClientId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The operator's name, or where the report came from (<c>webhook</c>, <c>dsn</c>).</summary>
    public required string CreatedBy { get; set; }

    /// <summary>When the client's erasure removed the address and the note.</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}

/// <summary>One soft bounce of an address (table <c>suppression_soft_bounces</c>): only what counting them needs.</summary>
public sealed class SoftBounceRecord
{
    public long Id { get; set; }

    public required string AddressHash { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>Why an address is suppressed, as stored and shown.</summary>
public static class SuppressionReasons
{
    public const string HardBounce = "hard_bounce";
    public const string Complaint = "complaint";
    public const string SoftBounces = "soft_bounces";
    public const string Operator = "operator";

    public static readonly string[] All = [HardBounce, Complaint, SoftBounces, Operator];
}
