using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Secrets;

/// <summary>
/// Section <c>Secrets</c>: the Fernet keys Python producers encrypt passwords with. The first key
/// is the producers' current one; every key is tried to decrypt, so keys rotate without a gap
/// (add the new key first, switch the producers, drop the old key later). Secrets: never logged.
/// </summary>
public sealed class SecretsOptions : IValidatableObject
{
    public List<string> FernetKeys { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < FernetKeys.Count; i++)
        {
            if (!FernetKey.TryParse(FernetKeys[i], out _))
            {
                // The value itself is a secret: the message names the position only.
                yield return new ValidationResult($"entry {i} is not a Fernet key (32 bytes in URL-safe base64, 44 characters)", [$"{nameof(FernetKeys)}:{i}"]);
            }
        }
    }
}

/// <summary>Opens the Fernet tokens producers send, with the configured keys.</summary>
public sealed class SecretBox
{
    private readonly IReadOnlyList<FernetKey> _keys;

    public SecretBox(Microsoft.Extensions.Options.IOptions<SecretsOptions> options)
    {
        _keys = options.Value.FernetKeys.Select(FernetKey.Parse).ToList();
    }

    public bool HasKeys => _keys.Count > 0;

    /// <summary>The plain text of a token, or null when no configured key opens it. No time-to-live: a letter may go out days after its secret was made.</summary>
    public string? TryOpen(string? token) =>
        Fernet.TryDecrypt(_keys, token, out var plain) ? System.Text.Encoding.UTF8.GetString(plain) : null;
}
