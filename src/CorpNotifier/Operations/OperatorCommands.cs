using System.CommandLine;
using RabbitMQ.Client.Exceptions;

namespace CorpNotifier.Operations;

/// <summary>
/// Commands ops run with the service's own executable, e.g. <c>dotnet CorpNotifier.dll errors list</c>.
/// With no command, or only configuration arguments (<c>--Dispatch:Interval=00:00:01</c>), the
/// executable starts the service as always. Exit codes: 0 done, 1 failed, 2 usage error.
/// </summary>
public static class OperatorCommands
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    private static readonly string[] RootTokens = ["--help", "-h", "-?", "/h", "/?", "--version"];

    /// <summary>True when the arguments name a command (or ask for help) rather than configure the service.</summary>
    public static bool Handles(string[] args)
    {
        var (_, command) = OperatorSettings.SplitArguments(args, OptionNames(Build(OperatorConsole.System, () => null!)));
        return command is [var first, ..]
            && (RootTokens.Contains(first, StringComparer.OrdinalIgnoreCase)
                || (!first.StartsWith('-') && !first.StartsWith('/') && !first.Contains('=', StringComparison.Ordinal)));
    }

    public static Task<int> RunAsync(string[] args) => RunAsync(args, OperatorConsole.System, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, OperatorConsole console, CancellationToken cancellationToken)
    {
        // Configuration is read only when a command runs (not for --help), from the arguments that carry it.
        List<string> configuration = [];
        OperatorSettings? settings = null;
        var root = Build(console, () => settings ??= OperatorSettings.Read(configuration));
        (configuration, var command) = OperatorSettings.SplitArguments(args, OptionNames(root));

        var parsed = root.Parse(command);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.Error.WriteLine($"error: {error.Message}");
            }

            console.Error.WriteLine("Run with --help for usage.");
            return UsageError;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = console.Out,
                    Error = console.Error,
                    EnableDefaultExceptionHandler = false,
                    // Time for a replay to finish the message it is moving after Ctrl+C.
                    ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
                },
                cancellationToken);
        }
        catch (OperatorException ex)
        {
            return Fail(console, ex.Message, ex.ExitCode);
        }
        catch (OperationInterruptedException ex)
        {
            return Fail(console, $"RabbitMQ closed the channel: {ex.ShutdownReason?.ReplyText ?? ex.Message}", Failure);
        }
        catch (OperationCanceledException)
        {
            return Fail(console, "cancelled; messages not yet moved stay where they were", Failure);
        }
        catch (Exception ex)
        {
            // One line, no stack trace: the operator needs the reason, not our internals.
            return Fail(console, $"{ex.GetType().Name}: {FaultedMessage.OneLine(ex.Message)}", Failure);
        }
    }

    private static RootCommand Build(OperatorConsole console, Func<OperatorSettings> settings) => new(
        """
        corp-notifier. With no command, starts the service. The commands below are for operators; they
        read the service's configuration (appsettings.json next to the executable, appsettings.{Environment}.json,
        environment variables such as RabbitMq__Host, arguments such as --RabbitMq:Host=rabbit) and connect
        to RabbitMQ (section RabbitMq) with the queue names of Messaging:EndpointPrefix.
        """)
    {
        new ErrorCommands(console, settings).Build(),
    };

    private static HashSet<string> OptionNames(Command command)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in command.Options)
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }

        foreach (var subcommand in command.Subcommands)
        {
            names.UnionWith(OptionNames(subcommand));
        }

        return names;
    }

    private static int Fail(OperatorConsole console, string message, int exitCode)
    {
        console.Error.WriteLine($"error: {message}");
        return exitCode;
    }
}
