namespace CorpNotifier.Rules;

/// <summary>What a rule decided for one event.</summary>
public abstract record NoticeAction(string Kind);

/// <summary>Create a letter that is due at <paramref name="SendAt"/> (now for an immediate letter).</summary>
public sealed record EnqueueNotice(
    string Kind,
    string? ContractId,
    DateTimeOffset SendAt,
    IReadOnlyDictionary<string, object?> Args,
    string? UniqueKey = null) : NoticeAction(Kind)
{
    /// <summary>The country whose extra recipients a staff or manager letter goes to (a client's letter uses the client's).</summary>
    public string? Country { get; init; }

    /// <summary>Addresses the letter goes to besides its audience's (a sales manager's).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];
}

/// <summary>Cancel the client's pending letters of a kind (for one contract, when given).</summary>
public sealed record DequeueNotices(string Kind, string? ContractId) : NoticeAction(Kind);
