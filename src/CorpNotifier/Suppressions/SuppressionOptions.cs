using System.ComponentModel.DataAnnotations;
using CorpNotifier.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Suppressions;

/// <summary>
/// Section <c>Suppressions</c>: the key the list's address hashes are made with, and how many soft
/// bounces within which window suppress an address.
/// </summary>
public sealed class SuppressionOptions
{
    /// <summary>The shortest key taken (characters; <c>openssl rand -base64 32</c> gives 44).</summary>
    public const int MinKeyLength = 32;

    /// <summary>
    /// The published key of the Development environment and the tests (<c>appsettings.Development.json</c>):
    /// used there when none is configured, refused anywhere else.
    /// </summary>
    public const string DevelopmentKey = "development-only-suppression-hash-key-0000";

    /// <summary>
    /// The HMAC-SHA256 key of the address hashes (a secret; required outside Development). Changing it
    /// makes every stored hash unmatchable: the entries whose address is kept can be hashed again,
    /// erased ones are lost (docs/suppressions.md).
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>How many soft bounces of one address within <see cref="SoftBounceWindow"/> suppress it.</summary>
    [Range(1, 100)]
    public int SoftBounces { get; set; } = 3;

    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SoftBounceWindow { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// The hash key's rules, which depend on the environment: in Development and in the tests a missing
/// key is the published development key; anywhere else a key of its own is required, and the
/// published one is refused. The key itself is never part of a message.
/// </summary>
internal sealed class SuppressionKeyValidator(IHostEnvironment environment) : IValidateOptions<SuppressionOptions>
{
    public ValidateOptionsResult Validate(string? name, SuppressionOptions options)
    {
        if (SuppressionKey.IsLenient(environment))
        {
            return options.HashKey is { Length: > 0 and < SuppressionOptions.MinKeyLength }
                ? ValidateOptionsResult.Fail($"Suppressions:HashKey: is shorter than {SuppressionOptions.MinKeyLength} characters")
                : ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.HashKey))
        {
            return ValidateOptionsResult.Fail(
                "Suppressions:HashKey: is required outside Development: a secret of at least "
                + $"{SuppressionOptions.MinKeyLength} characters (openssl rand -base64 32) that the suppression list's address hashes are keyed with");
        }

        if (options.HashKey.Length < SuppressionOptions.MinKeyLength)
        {
            return ValidateOptionsResult.Fail($"Suppressions:HashKey: is shorter than {SuppressionOptions.MinKeyLength} characters");
        }

        return options.HashKey == SuppressionOptions.DevelopmentKey
            ? ValidateOptionsResult.Fail($"Suppressions:HashKey: is the published development key, refused outside the Development environment; set a secret of your own")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>The key the hashes are made with, as the environment allows.</summary>
internal static class SuppressionKey
{
    public static bool IsLenient(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment(HostingExtensions.TestingEnvironment);

    public static string Of(SuppressionOptions options, IHostEnvironment environment) =>
        !string.IsNullOrWhiteSpace(options.HashKey) ? options.HashKey
        : IsLenient(environment) ? SuppressionOptions.DevelopmentKey
        : throw new InvalidOperationException("Suppressions:HashKey is not configured.");
}
