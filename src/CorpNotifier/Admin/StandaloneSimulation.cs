using System.ComponentModel.DataAnnotations;
using CorpNotifier.Dispatch;
using CorpNotifier.Mailers;
using CorpNotifier.Notices;
using CorpNotifier.Rules;
using CorpNotifier.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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

        await using var services = Services(secrets, audience);
        var simulator = new Simulator(services, new DefaultSettings(services.GetRequiredService<NoticeCatalog>(), services.GetRequiredService<NoticeSettingsDefaults>()));
        return await simulator.RunAsync(request, events, cancellationToken);
    }

    /// <summary>What <see cref="SimulationPipeline"/> takes from the service, with the service's defaults.</summary>
    private static ServiceProvider Services(SecretsOptions secrets, AudienceOptions audience)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddRules();
        services.AddOptions<DispatchOptions>();
        services.AddOptions<TemplateOptions>();
        services.AddOptions<NoticesOptions>();
        services.AddSingleton<NoticeSettingsDefaults>();
        services.AddSingleton(Options.Create(audience));
        services.AddSingleton(new SecretBox(Options.Create(secrets)));
        services.AddSingleton(DisplayText.BuiltIn(NullLogger.Instance));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
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

    /// <summary>Every letter as configuration and the rules give it when no operator changed it.</summary>
    private sealed class DefaultSettings(NoticeCatalog catalog, NoticeSettingsDefaults defaults) : INoticeSettingsSource
    {
        public Task<EffectiveNoticeSettings> GetAsync(string kind, CancellationToken cancellationToken) => Task.FromResult(defaults.Get(kind));

        public Task<IReadOnlyDictionary<string, EffectiveNoticeSettings>> GetAllAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, EffectiveNoticeSettings>>(catalog.Rules.ToDictionary(r => r.Kind, r => defaults.Get(r.Kind), StringComparer.Ordinal));
    }
}
