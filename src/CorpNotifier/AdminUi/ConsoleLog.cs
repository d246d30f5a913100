namespace CorpNotifier.AdminUi;

/// <summary>The console's log lines: who signed in or out, and refusals; never a key or an address.</summary>
public static partial class ConsoleLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Console sign-in by {Actor} as {Role} ({Method})")]
    public static partial void SignedIn(ILogger logger, string actor, string role, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in refused: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console sign-out by {Actor}")]
    public static partial void SignedOut(ILogger logger, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console action {Action} refused to {Actor} ({Role})")]
    public static partial void ActionRefused(ILogger logger, string action, string actor, string role);
}
