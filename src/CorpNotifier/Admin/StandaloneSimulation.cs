using System.ComponentModel.DataAnnotations;
using CorpNotifier.Notices;
using CorpNotifier.Secrets;

namespace CorpNotifier.Admin;

/// <summary>What a simulation outside the service is configured with: the parts of the service's configuration that change what happens to a letter.</summary>
public sealed class StandaloneSimulationOptions
{
    /// <summary>The Fernet keys the producer encrypts secrets with (<c>Secrets:FernetKeys</c>); without one, a letter whose secret cannot be opened is rejected.</summary>
    public IList<string> FernetKeys { get; } = [];

    /// <summary><c>Notices:StaffEmailDomain</c>: staff addresses that go to clients' letters only where a letter allows it.</summary>
    public string? StaffEmailDomain { get; set; }
}

/// <summary>A simulation refused for its input, with the reasons by field (<c>events[0].data.currency</c>).</summary>
public sealed class SimulationInputException(IReadOnlyDictionary<string, string[]> errors)
    : ArgumentException("The simulation is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>
/// The service's <see cref="Simulator"/> without the service: the same rules, event processing,
/// notice ledger and send-time checks, on a private in-memory database and a virtual clock, with
/// every letter's default settings (enabled, live, the rule's own offset and template) and the
/// service's default options. The producers' test kit runs it; the running service's
/// <c>POST /api/v1/simulate</c> runs the same with the settings operators made.
/// </summary>
public static class StandaloneSimulation
{
    /// <summary>What the events would do to the client's letters.</summary>
    /// <exception cref="SimulationInputException">An event, the client or the options are invalid (nothing is simulated).</exception>
    public static async Task<SimulationResult> RunAsync(SimulationRequest request, StandaloneSimulationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= new StandaloneSimulationOptions();
        var secrets = new SecretsOptions();
        secrets.FernetKeys.AddRange(options.FernetKeys);
        var audience = new AudienceOptions { StaffEmailDomain = options.StaffEmailDomain };
        var errors = new Dictionary<string, string[]>(Simulator.Validate(request, out var events));
        foreach (var (field, messages) in ValidateOptions(secrets, audience))
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            throw new SimulationInputException(errors);
        }

        var simulator = new Simulator(new SimulationSource(Configuration(options), Environment: null), settings: null);
        return await simulator.RunAsync(request, events, cancellationToken);
    }

    /// <summary>The service's configuration as the options give it: the keys the service reads them from, the service's defaults for the rest.</summary>
    private static IConfiguration Configuration(StandaloneSimulationOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Notices:{AudienceOptions.Key}"] = options.StaffEmailDomain,
        };
        foreach (var (key, index) in options.FernetKeys.Select((k, i) => (k, i)))
        {
            settings[$"Secrets:FernetKeys:{index}"] = key;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static IEnumerable<(string, string[])> ValidateOptions(SecretsOptions secrets, AudienceOptions audience)
    {
        foreach (var failure in secrets.Validate(new ValidationContext(secrets)))
        {
            yield return ($"options.{nameof(StandaloneSimulationOptions.FernetKeys)}", [failure.ErrorMessage ?? "invalid"]);
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(audience, new ValidationContext(audience), results, validateAllProperties: true))
        {
            yield return ($"options.{nameof(StandaloneSimulationOptions.StaffEmailDomain)}", [.. results.Select(r => r.ErrorMessage ?? "invalid")]);
        }
    }
}
