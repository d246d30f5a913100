using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Suppressions;

/// <summary>
/// How the suppression list knows an address: its normalised form (trimmed, lower case — mailbox
/// providers do not tell <c>Billing@</c> from <c>billing@</c>) and that form's keyed hash, which is
/// what every lookup compares, so that an entry whose address was erased still matches.
/// </summary>
public sealed class AddressHasher
{
    private readonly byte[] _key;

    public AddressHasher(IOptions<SuppressionOptions> options, IHostEnvironment environment)
    {
        _key = Encoding.UTF8.GetBytes(SuppressionKey.Of(options.Value, environment));
    }

    internal AddressHasher(string key)
    {
        _key = Encoding.UTF8.GetBytes(key);
    }

    public static string Normalise(string address) => address.Trim().ToLowerInvariant();

    /// <summary>HMAC-SHA256 of the normalised address, lower-case hex (64 characters).</summary>
    public string Hash(string address) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(Normalise(address))));
}
