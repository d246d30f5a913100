namespace CorpNotifier.Suppressions;

/// <summary>An entry as the API and the console show it; <see cref="Address"/> is <c>null</c> once the client's data was erased.</summary>
public sealed record SuppressionView(
    long Id,
    string? Address,
    string Reason,
    string? Note,
    long? NoticeId,
    string? ClientId,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ErasedAt,
    string Why)
{
    public static SuppressionView From(SuppressionRecord entry) => new(
        entry.Id, entry.Address, entry.Reason, entry.Note, entry.NoticeId, entry.ClientId, entry.CreatedAt, entry.CreatedBy, entry.ErasedAt, SuppressionWords.Why(entry));
}

/// <summary>One page of the list, newest first; <see cref="NextBeforeId"/> asks for the next.</summary>
public sealed record SuppressionPage(IReadOnlyList<SuppressionView> Items, long? NextBeforeId);

/// <summary>What the list is filtered by: an exact address (matched as the send path matches it, erased entries too), a client, a reason.</summary>
public sealed record SuppressionQuery(string? Address, string? ClientId, string? Reason, long? BeforeId, int? Limit);

/// <summary>An operator's entry: the address, why (a note), and the client when known.</summary>
public sealed record SuppressionBody(string? Address, string? Note, string? ClientId);

/// <summary>A client none of whose addresses may be written to: the account manager's cue to call.</summary>
public sealed record UnreachableClientView(string ClientId, string? Name, int Addresses, DateTimeOffset LastSuppressedAt);
