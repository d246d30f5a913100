using System.CommandLine;

namespace CorpNotifier.Operations;

/// <summary>
/// <c>errors list | show | replay | purge</c>: the service's error queues, where MassTransit moves
/// a message whose consumer failed (an invalid event at once; a transient fault after the retries),
/// through <see cref="ErrorQueues"/>, as the console does.
/// </summary>
public sealed class ErrorCommands(OperatorConsole console, Func<OperatorSettings> settings)
{
    public const int DefaultMax = 100;

    /// <summary>The one implementation the console uses too; built when a command runs (configuration is read then).</summary>
    private ErrorQueues Queues => field ??= new ErrorQueues(settings());

    public Command Build() => new("errors", "Inspect, replay and purge the service's error queues ({queue}_error).")
    {
        List(),
        Show(),
        Replay(),
        Purge(),
    };

    private static Option<string> QueueOption(bool required) => new("--queue", "-q")
    {
        Description = "An error queue of the service: corp-notifier-events_error, corp-notifier-events or events.",
        Required = required,
    };

    private Command List()
    {
        var queue = QueueOption(required: false);
        var max = new Option<int>("--max")
        {
            Description = "Messages shown per queue; the count is always the whole queue's.",
            DefaultValueFactory = _ => DefaultMax,
        };
        max.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--max must be at least 1.");
            }
        });
        var command = new Command("list", "Count the messages of each error queue (or one) and show each one's id, first fault, type and reason. Leaves them in place.")
        {
            queue,
            max,
        };
        command.SetAction((parsed, cancellationToken) => ListAsync(parsed.GetValue(queue), parsed.GetValue(max), cancellationToken));
        return command;
    }

    private Command Show()
    {
        var id = new Argument<string>("message-id") { Description = "The message's id (AMQP message_id; the eventId of a raw JSON event)." };
        var queue = QueueOption(required: false);
        var command = new Command("show", "Show a faulted message: the fault's headers, stack trace and the body, secrets masked. Leaves it in place.")
        {
            id,
            queue,
        };
        command.SetAction((parsed, cancellationToken) => ShowAsync(parsed.GetValue(id)!, parsed.GetValue(queue), cancellationToken));
        return command;
    }

    private Command Replay()
    {
        var queue = QueueOption(required: true);
        var ids = new Option<string[]>("--message-id", "-m") { Description = "A message to move back (repeat for more)." };
        var all = new Option<bool>("--all") { Description = "Move back every message that is in the error queue when the replay starts." };
        var command = new Command(
            "replay",
            "Move faulted messages back to their queue, once: the messages in the error queue when the replay starts, each published to its own queue only (default exchange) and removed from the error queue after the broker confirmed. A message that fails again returns to the error queue once.")
        {
            queue,
            ids,
            all,
        };
        command.Validators.Add(result =>
        {
            var named = result.GetValue(ids) is { Length: > 0 };
            if (!named && !result.GetValue(all))
            {
                result.AddError("replay needs --all or at least one --message-id.");
            }
            else if (named && result.GetValue(all))
            {
                result.AddError("replay takes --all or --message-id, not both.");
            }
        });
        command.SetAction((parsed, cancellationToken) =>
            ReplayAsync(parsed.GetValue(queue)!, parsed.GetValue(all) ? null : parsed.GetValue(ids), cancellationToken));
        return command;
    }

    private Command Purge()
    {
        var queue = QueueOption(required: true);
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask: needed when standard input is not a terminal." };
        var command = new Command("purge", "Delete every message of an error queue, after you type the queue's name to confirm.")
        {
            queue,
            yes,
        };
        command.SetAction((parsed, cancellationToken) => PurgeAsync(parsed.GetValue(queue)!, parsed.GetValue(yes), cancellationToken));
        return command;
    }

    private async Task<int> ListAsync(string? queue, int max, CancellationToken cancellationToken)
    {
        foreach (var (name, contents) in await Queues.ListAsync(Named(queue), max, cancellationToken))
        {
            if (contents is null)
            {
                console.Out.WriteLine($"{name}: not declared (nothing has faulted there yet)");
                continue;
            }

            console.Out.WriteLine($"{name}: {Messages(contents.Count)}");
            foreach (var message in contents.Messages)
            {
                console.Out.WriteLine(FaultedMessageText.Line(message));
            }

            if (contents.Count > contents.Messages.Count)
            {
                console.Out.WriteLine($"  … and {contents.Count - contents.Messages.Count} more (--max)");
            }
        }

        return OperatorCommands.Ok;
    }

    private async Task<int> ShowAsync(string id, string? queue, CancellationToken cancellationToken)
    {
        var queues = Named(queue);
        var found = await Queues.FindAsync(queues, id, cancellationToken);
        if (found.Count == 0)
        {
            throw new OperatorException($"no message with id {TerminalText.Escape(id)} in {string.Join(", ", queues)}");
        }

        foreach (var (message, count) in found)
        {
            console.Out.Write(FaultedMessageText.Details(message, count));
        }

        return OperatorCommands.Ok;
    }

    private async Task<int> ReplayAsync(string queue, string[]? ids, CancellationToken cancellationToken)
    {
        var errorQueue = Named(queue).Single();
        var target = ServiceQueues.SourceOf(errorQueue);
        var result = await Queues.ReplayAsync(
            errorQueue,
            ids,
            message =>
            {
                console.Out.WriteLine(TerminalText.Escape($"moved {message.MessageId ?? "(no id)"} ({message.MessageType}) to {target}"));
                return Task.CompletedTask;
            },
            cancellationToken);

        console.Out.WriteLine($"replayed {Messages((uint)result.Moved.Count)} of {result.Read} from {errorQueue} to {target}; {Messages((uint)(result.Read - result.Moved.Count))} left in {errorQueue}");
        if (result.Missing.Count > 0)
        {
            throw new OperatorException($"not found in {errorQueue}: {TerminalText.Escape(string.Join(", ", result.Missing))}");
        }

        return OperatorCommands.Ok;
    }

    private async Task<int> PurgeAsync(string queue, bool yes, CancellationToken cancellationToken)
    {
        var errorQueue = Named(queue).Single();
        if (!yes && !console.IsInteractive)
        {
            throw new OperatorException($"refusing to purge {errorQueue}: standard input is not a terminal to confirm on; add --yes", OperatorCommands.UsageError);
        }

        if (!yes)
        {
            var count = (await Queues.CountAsync([errorQueue], cancellationToken))[0].Count
                ?? throw new OperatorException($"queue {errorQueue} does not exist");
            console.Out.Write($"{errorQueue} holds {Messages(count)}. Type the queue's name to confirm: ");
            if (!string.Equals(console.In.ReadLine()?.Trim(), errorQueue, StringComparison.Ordinal))
            {
                throw new OperatorException("not confirmed: nothing was purged");
            }
        }

        var purged = await Queues.PurgeAsync(errorQueue, cancellationToken);
        console.Out.WriteLine($"purged {Messages((uint)purged.Removed.Count)} from {errorQueue}");
        return OperatorCommands.Ok;
    }

    /// <summary>The error queue named, or all of the service's; an unknown name is a usage error.</summary>
    private IReadOnlyList<string> Named(string? typed)
    {
        if (typed is null)
        {
            return Queues.Names;
        }

        return Queues.Resolve(typed) is { } queue
            ? [queue]
            : throw new OperatorException(
                $"'{TerminalText.Escape(typed)}' is not one of the service's error queues: {string.Join(", ", Queues.Names)}",
                OperatorCommands.UsageError);
    }

    private static string Messages(uint count) => count == 1 ? "1 message" : $"{count} messages";
}

/// <summary>Where the commands read and write: the process's console, or a test's.</summary>
public sealed record OperatorConsole(TextWriter Out, TextWriter Error, TextReader In, bool IsInteractive)
{
    public static OperatorConsole System => new(Console.Out, Console.Error, Console.In, !Console.IsInputRedirected);
}
