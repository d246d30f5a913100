using System.ComponentModel.DataAnnotations;
using CorpNotifier.Hosting;
using CorpNotifier.Messaging;

namespace CorpNotifier.Operations;

/// <summary>
/// What the operator commands need from the service's configuration, read exactly as the service
/// reads it (<c>WebApplication.CreateBuilder</c> on the same content root): <c>appsettings.json</c>
/// next to the executable, <c>appsettings.{Environment}.json</c>, environment variables and
/// <c>--Section:Key=value</c> arguments.
/// </summary>
public sealed record OperatorSettings(TransportKind Transport, RabbitMqOptions RabbitMq, string EndpointPrefix)
{
    /// <summary>Keys without a section: the host's own, and the service's top-level picks (<c>--Transport=RabbitMq</c>).</summary>
    private static readonly string[] HostKeys = ["environment", "contentRoot", "applicationName", "Transport", "Database", "Mailer", "ClientDirectory"];

    public static OperatorSettings Read(IReadOnlyList<string> configurationArguments)
    {
        var configuration = WebApplication.CreateBuilder(ContentRoot.Options([.. configurationArguments])).Configuration;
        ServiceOptions picks;
        try
        {
            picks = ServiceOptions.Read(configuration);
        }
        catch (InvalidOperationException ex)
        {
            throw new OperatorException($"invalid configuration: {ex.Message}");
        }

        var rabbit = configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        var messaging = configuration.GetSection("Messaging").Get<MessagingOptions>() ?? new MessagingOptions();
        Validate(rabbit, "RabbitMq");
        Validate(messaging, "Messaging");
        return new OperatorSettings(picks.Transport, rabbit, messaging.EndpointPrefix);
    }

    /// <summary>The broker as an address without the password, for messages.</summary>
    public string Broker =>
        $"{(RabbitMq.UseTls ? "amqps" : "amqp")}://{RabbitMq.Username}@{RabbitMq.Host}:{RabbitMq.Port}/{Uri.EscapeDataString(RabbitMq.VirtualHost)}";

    /// <summary>
    /// Splits a command line into configuration for the host (<c>--Section:Key=value</c>,
    /// <c>--Section:Key value</c>, <c>--environment Staging</c>) and the command's own tokens.
    /// <paramref name="optionNames"/> are the commands' options, so <c>--queue:x</c> stays theirs.
    /// </summary>
    public static (List<string> Configuration, List<string> Command) SplitArguments(IReadOnlyList<string> args, IReadOnlySet<string> optionNames)
    {
        var configuration = new List<string>();
        var command = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (!IsConfiguration(token, optionNames))
            {
                command.Add(token);
                continue;
            }

            configuration.Add(token);
            if (!token.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
            {
                // The command-line configuration provider takes the next argument as the value.
                configuration.Add(args[++i]);
            }
        }

        return (configuration, command);
    }

    private static bool IsConfiguration(string token, IReadOnlySet<string> optionNames)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
        {
            return false;
        }

        var key = token[2..].Split('=', 2)[0];
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            return !optionNames.Contains("--" + key[..colon]);
        }

        return HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
    }

    private static void Validate(object options, string section)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var failures = results.Select(r => $"{section}:{r.MemberNames.FirstOrDefault()}: {r.ErrorMessage}");
            throw new OperatorException($"invalid configuration: {string.Join("; ", failures)}");
        }
    }
}

/// <summary>A failure the operator can act on: printed as one line, without a stack trace.</summary>
public sealed class OperatorException(string message, int exitCode = OperatorCommands.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
