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

    /// <summary>The request breaks its rules, field by field.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : OperationResult
    {
        /// <summary>The English messages by key, as the API's validation problem lists them.</summary>
        public IReadOnlyDictionary<string, string[]> ByKey => FieldError.ByKey(Errors);
    }

    /// <summary>The change and its audit record could not be committed together; nothing changed.</summary>
    public sealed record NotSaved(string Message) : OperationResult;
}

/// <summary>A rule a request breaks: the body's key (<c>args.currency</c>, <c>slugs.rus</c>), and what is wrong in English (the API) and in Russian (the console).</summary>
public sealed record FieldError(string Key, string Message, string Russian)
{
    /// <summary>The English messages by key, as the API's validation problem lists them.</summary>
    public static IReadOnlyDictionary<string, string[]> ByKey(IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}
