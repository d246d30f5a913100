using CorpNotifier.Operations;

namespace CorpNotifier.Tests.Operations;

/// <summary>The executable's command line: commands for operators, everything else starts the service.</summary>
public sealed class OperatorCommandsTests
{
    [Theory]
    [InlineData(true, "errors", "list")]
    [InlineData(true, "--help")]
    [InlineData(true, "-h")]
    [InlineData(true, "errors", "--help")]
    [InlineData(true, "--RabbitMq:Host=rabbit", "errors", "list")]
    [InlineData(true, "--RabbitMq:Host", "rabbit", "errors", "list")]
    [InlineData(true, "--Transport=RabbitMq", "errors", "list")]
    [InlineData(true, "no-such-command")]
    [InlineData(false)]
    [InlineData(false, "--Dispatch:Interval=00:00:01")]
    [InlineData(false, "--Dispatch:Interval", "00:00:01")]
    [InlineData(false, "--urls", "http://127.0.0.1:5080")]
    [InlineData(false, "Transport=RabbitMq")]
    [InlineData(false, "/Transport", "RabbitMq")]
    [InlineData(false, "--environment=Testing", "--contentRoot=/srv/corp-notifier")]
    public void Only_a_command_or_help_is_handled_everything_else_starts_the_service(bool handled, params string[] args)
    {
        OperatorCommands.Handles(args).ShouldBe(handled);
    }

    [Fact]
    public void Configuration_arguments_are_split_from_the_commands_own()
    {
        var (configuration, command) = OperatorSettings.SplitArguments(
            ["errors", "--RabbitMq:Host", "rabbit", "show", "--queue:events", "--Messaging:EndpointPrefix=acme", "m-1", "--environment", "Staging"],
            new HashSet<string> { "--queue" });

        configuration.ShouldBe(["--RabbitMq:Host", "rabbit", "--Messaging:EndpointPrefix=acme", "--environment", "Staging"]);
        command.ShouldBe(["errors", "show", "--queue:events", "m-1"]);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var (code, output, _) = await RunAsync("--help");

        code.ShouldBe(OperatorCommands.Ok);
        output.ShouldContain("errors");
        output.ShouldContain("With no command, starts the service");
    }

    [Fact]
    public async Task Help_of_errors_lists_its_subcommands()
    {
        var (code, output, _) = await RunAsync("errors", "--help");

        code.ShouldBe(OperatorCommands.Ok);
        foreach (var command in new[] { "list", "show <message-id>", "replay", "purge" })
        {
            output.ShouldContain(command);
        }
    }

    [Theory]
    [InlineData("replay needs --all or at least one --message-id", "errors", "replay", "--queue", "events")]
    [InlineData("not both", "errors", "replay", "--queue", "events", "--all", "--message-id", "m-1")]
    [InlineData("--queue", "errors", "replay", "--all")]
    [InlineData("--queue", "errors", "purge", "--yes")]
    [InlineData("Required command", "errors")]
    [InlineData("no-such-command", "no-such-command")]
    [InlineData("is not one of the service's error queues: corp-notifier-contract-changed_error", "errors", "list", "--queue", "nope")]
    [InlineData("--max must be at least 1", "errors", "list", "--max", "0")]
    public async Task A_usage_error_exits_with_2_and_says_what_is_wrong(string message, params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        code.ShouldBe(OperatorCommands.UsageError);
        error.ShouldContain(message);
    }

    [Fact]
    public async Task Purge_without_yes_and_without_a_terminal_is_refused_before_connecting()
    {
        var (code, _, error) = await RunAsync("errors", "purge", "--queue", "events", "--RabbitMq:Port=1");

        code.ShouldBe(OperatorCommands.UsageError);
        error.ShouldContain("refusing to purge corp-notifier-events_error");
        error.ShouldContain("--yes");
    }

    [Fact]
    public async Task An_unreachable_broker_is_one_line_without_the_password()
    {
        var (code, output, error) = await RunAsync(
            "errors", "list", "--Transport=RabbitMq", "--RabbitMq:Host=127.0.0.1", "--RabbitMq:Port=1", "--RabbitMq:Username=ops", "--RabbitMq:Password=s3cret-Pa55");

        code.ShouldBe(OperatorCommands.Failure);
        output.ShouldBeEmpty();
        error.TrimEnd().ShouldStartWith("error: cannot connect to RabbitMQ at amqp://ops@127.0.0.1:1/%2F:");
        error.TrimEnd().ShouldNotContain("\n");
        (output + error).ShouldNotContain("s3cret-Pa55");
    }

    [Theory]
    [InlineData("errors", "list")]
    [InlineData("errors", "show", "m-1")]
    [InlineData("errors", "replay", "--queue", "events", "--all")]
    [InlineData("errors", "purge", "--queue", "events", "--yes")]
    public async Task On_the_in_memory_bus_the_errors_commands_say_it_keeps_no_error_queues_without_connecting(params string[] command)
    {
        // A broker that refuses at once: were the command to connect, it would say so instead.
        var (code, output, error) = await RunAsync([.. command, "--Transport=InMemory", "--RabbitMq:Host=127.0.0.1", "--RabbitMq:Port=1"]);

        code.ShouldBe(OperatorCommands.Failure);
        output.ShouldBeEmpty();
        error.ShouldContain("the in-memory bus (Transport=InMemory, the embedded default) keeps no error queues");
        error.ShouldNotContain("cannot connect");
    }

    [Fact]
    public async Task A_bad_endpoint_prefix_names_the_key()
    {
        var (code, _, error) = await RunAsync("errors", "list", "--Messaging:EndpointPrefix=Not Kebab");

        code.ShouldBe(OperatorCommands.Failure);
        error.ShouldContain("Messaging:EndpointPrefix: must be kebab-case");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new OperatorConsole(output, error, new StringReader(""), IsInteractive: false);
        var code = await OperatorCommands.RunAsync(args, console, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
