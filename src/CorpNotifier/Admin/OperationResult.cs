namespace CorpNotifier.Admin;

/// <summary>Why an operator action on a notice was refused in the notice's state.</summary>
public enum Refusal
{
    /// <summary>Cancel: the send path has the notice right now.</summary>
    BeingSent,

    /// <summary>Cancel: only a pending notice can be cancelled.</summary>
    NotPending,

    /// <summary>Restore: only a cancelled notice can be restored.</summary>
    NotCancelled,

    /// <summary>Restore: an event dequeued it; only an operator's cancel can be undone.</summary>
    DequeuedByEvent,

    /// <summary>Restore: it was due in the past.</summary>
    PastDue,

    /// <summary>Re-send: it has not been sent yet.</summary>
    NotSentYet,

    /// <summary>Re-send: a secret argument is masked in storage and cannot be sent again.</summary>
    SecretGone,

    /// <summary>Re-send: a re-send of the notice is already pending or being sent.</summary>
    ResendUnderWay,
}

/// <summary>The outcome of an operator action: the notice, or why not.</summary>
public abstract record OperationResult
{
    public sealed record Done(NoticeView Notice, bool Created = false) : OperationResult;

    /// <summary>The actor's role may not take this action.</summary>
    public sealed record Forbidden(string Message) : OperationResult;

    public sealed record NotFound(string Message) : OperationResult;

    /// <summary>Not possible in the notice's state: <see cref="Why"/> for the console's words, <see cref="Message"/> for the API's.</summary>
    public sealed record Conflict(Refusal Why, string Message) : OperationResult;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : OperationResult;

    /// <summary>The change and its audit record could not be committed together; nothing changed.</summary>
    public sealed record NotSaved(string Message) : OperationResult;
}
