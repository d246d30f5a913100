namespace CorpNotifier.Testing;

/// <summary>corp-notifier would refuse the event: its message is the service's, naming every fault.</summary>
public sealed class EventValidationException : Exception
{
    /// <summary>Creates the exception with the service's message and its faults.</summary>
    /// <param name="message">The message the service gives for the event.</param>
    /// <param name="errors">Every fault, as <c>wire.path: reason</c>.</param>
    public EventValidationException(string message, IReadOnlyList<string> errors)
        : base(message)
    {
        Errors = errors;
    }

    /// <summary>Every fault, as <c>wire.path: reason</c> (the same as <see cref="EventValidation.Validate(Contracts.IEvent)"/>).</summary>
    public IReadOnlyList<string> Errors { get; }
}
