using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Auth;

/// <summary>What a caller may do. Each role includes the rights listed for it only; <c>admin</c> may do everything.</summary>
public static class Roles
{
    /// <summary>Event intake only (producer services).</summary>
    public const string Producer = "producer";

    /// <summary>Read everything: notices, agenda, events, settings, audit, reports, simulations.</summary>
    public const string Viewer = "viewer";

    /// <summary>Read, plus re-send, manual send, cancel and restore notices.</summary>
    public const string Operator = "operator";

    /// <summary>Everything, settings included.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [Producer, Viewer, Operator, Admin];
}

/// <summary>The authorization policies endpoints ask for.</summary>
public static class Policies
{
    public const string SubmitEvents = "submit-events";
    public const string Read = "read";
    public const string Operate = "operate";
    public const string Administer = "administer";
}

/// <summary>One configured API key: who, which role, and the SHA-256 of the key (hex) — never the key itself.</summary>
public sealed class ApiKeyEntry
{
    [Required]
    public string? Name { get; set; }

    [Required]
    [AllowedValues(Roles.Producer, Roles.Viewer, Roles.Operator, Roles.Admin, ErrorMessage = "must be producer, viewer, operator or admin")]
    public string? Role { get; set; }

    [Required]
    [RegularExpression("^[0-9a-fA-F]{64}$", ErrorMessage = "must be the key's SHA-256 as 64 hex characters")]
    public string? Sha256 { get; set; }
}

/// <summary>Section <c>Auth</c>.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(ApiKeys[i], new ValidationContext(ApiKeys[i]), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => $"ApiKeys:{i}:{m}"));
            }
        }

        foreach (var duplicate in ApiKeys.Where(k => k.Sha256 is not null).GroupBy(k => k.Sha256!.ToLowerInvariant()).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"the same key is configured for {string.Join(", ", duplicate.Select(k => k.Name))}", ["ApiKeys"]);
        }
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>
/// The well-known keys of <c>appsettings.Development.json</c> (<c>dev-producer-key</c> and the
/// others, published in the README): a service outside the Development environment refuses to
/// start with one of them configured, so a development configuration cannot reach production.
/// </summary>
public sealed class DevelopmentKeysValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public static readonly IReadOnlyList<string> Keys = ["dev-producer-key", "dev-viewer-key", "dev-operator-key", "dev-admin-key"];

    private static readonly HashSet<string> Hashes = [.. Keys.Select(AuthOptions.Hash)];

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        var development = options.ApiKeys.Where(k => k.Sha256 is not null && Hashes.Contains(k.Sha256.ToLowerInvariant())).Select(k => k.Name).ToList();
        return development.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Auth:ApiKeys: {string.Join(", ", development)} use a well-known development key, which is refused outside the Development environment "
                + $"(this one is {environment.EnvironmentName}); configure keys of your own.");
    }
}

/// <summary>
/// The keys the service accepts. With no key configured, one admin key is generated at start and
/// printed once on the console: the service never runs with authentication silently off.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly IReadOnlyList<(string Name, string Role, byte[] Hash)> _keys;

    public ApiKeyRegistry(IOptions<AuthOptions> options)
    {
        var configured = options.Value.ApiKeys;
        if (configured.Count == 0)
        {
            GeneratedKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
            configured = [new ApiKeyEntry { Name = "generated-admin", Role = Roles.Admin, Sha256 = AuthOptions.Hash(GeneratedKey) }];
        }

        _keys = [.. configured.Select(k => (k.Name!, k.Role!, Convert.FromHexString(k.Sha256!)))];
    }

    /// <summary>The admin key made at start when none was configured; <c>null</c> otherwise.</summary>
    public string? GeneratedKey { get; }

    /// <summary>The name and role of the key, compared in constant time against every configured hash.</summary>
    public (string Name, string Role)? Find(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (string, string)? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = (key.Name, key.Role);
            }
        }

        return found;
    }
}

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header; the principal carries the key's name and role. A key
/// from a caller that used up its failed attempts (<see cref="SignInLimits"/>) is refused unread, with <c>429</c>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry registry,
    SignInLimits limits)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    private TimeSpan? _refusedFor;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = values[0]!;
        if (limits.Refusal(Context, presented, SignInPlace.Api) is { } wait)
        {
            _refusedFor = wait;
            return Task.FromResult(AuthenticateResult.Fail("too many failed attempts"));
        }

        if (registry.Find(presented) is not { } key)
        {
            limits.Failed(Context, presented, SignInPlace.Api);
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_refusedFor is { } wait)
        {
            var seconds = SignInLimits.RetryAfterSeconds(wait);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many failed attempts",
                detail: $"Too many unknown API keys came from your address, or began as this one does; no such key is checked for up to {seconds} s.").ExecuteAsync(Context);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required",
            detail: $"Send a valid API key in the {Header} header.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not allowed",
            detail: $"The role '{Context.User.FindFirstValue(ClaimTypes.Role)}' may not do this.").ExecuteAsync(Context);
    }
}

/// <summary>Prints the generated admin key once, when no key is configured.</summary>
public sealed partial class GeneratedKeyAnnouncer(ApiKeyRegistry registry, ILogger<GeneratedKeyAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (registry.GeneratedKey is { } key)
        {
            // Printed to the console only, not through the logging pipeline, so it does not end up in log storage.
            Console.WriteLine($"No API key is configured (Auth:ApiKeys). Generated admin key for this run: {key}");
            LogGenerated();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key is configured (Auth:ApiKeys); an admin key was generated for this run and printed on the console")]
    private partial void LogGenerated();
}

public static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        Hosting.OptionsRegistration.AddSectionOptions<AuthOptions>(services, "Auth");
        Hosting.OptionsRegistration.AddSectionOptions<SignInLimitsOptions>(services, "Auth:Limits");
        services.AddSingleton<SignInLimits>();
        services.AddSingleton<IValidateOptions<AuthOptions>, DevelopmentKeysValidator>();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddHostedService<GeneratedKeyAnnouncer>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SubmitEvents, p => p.RequireRole(Roles.Producer, Roles.Admin))
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Operate, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin));
        return services;
    }
}
