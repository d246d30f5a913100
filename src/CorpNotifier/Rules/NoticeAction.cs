namespace CorpNotifier.Rules;

/// <summary>What a rule decided for one event.</summary>
public abstract record NoticeAction(string Kind);

/// <summary>Create a letter that is due at <paramref name="SendAt"/> (now for an immediate letter).</summary>
public sealed record EnqueueNotice(
    string Kind,
    string? ContractId,
    DateTimeOffset SendAt,
    IReadOnlyDictionary<string, object?> Args,
    string? UniqueKey = null) : NoticeAction(Kind);

/// <summary>Cancel the client's pending letters of a kind (for one contract, when given).</summary>
public sealed record DequeueNotices(string Kind, string? ContractId) : NoticeAction(Kind);
