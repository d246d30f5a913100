namespace CorpNotifier.Rules;

/// <summary>What a rule decided for one event.</summary>
public abstract record NoticeAction(string Kind);

/// <summary>Create a notice that is due at <paramref name="SendAt"/> (now for an immediate notice).</summary>
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

    /// <summary>The client the letter is for, when it is not the event's (a manager's request names its client inside).</summary>
    public string? ClientId { get; init; }
}

/// <summary>Dequeue the client's pending notices of a kind (for one contract, when given): they end <c>dequeued</c>.</summary>
public sealed record DequeueNotices(string Kind, string? ContractId) : NoticeAction(Kind);
