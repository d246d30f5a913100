using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CorpNotifier.Deliveries;

/// <summary>Why a webhook call was refused; <c>null</c> when it was not.</summary>
public enum WebhookRefusal
{
    /// <summary>No secret is configured: nothing can be verified.</summary>
    NoSecret,

    /// <summary>A <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> header is missing.</summary>
    Unsigned,

    /// <summary>The timestamp is further from now than the tolerance, or not a number.</summary>
    TooOld,

    /// <summary>No signature matches the body under any configured secret.</summary>
    BadSignature,
}

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com): <c>webhook-signature</c> holds one or more
/// space-separated <c>v1,&lt;base64 HMAC-SHA256&gt;</c> of <c>{webhook-id}.{webhook-timestamp}.{body}</c>
/// under the secret (<c>whsec_</c> and the key in base64). Compared in constant time.
/// </summary>
public static class WebhookSignature
{
    private const string SecretPrefix = "whsec_";

    /// <summary>The <c>v1,…</c> signature of a call (for the mailer's side, and tests).</summary>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Hmac(Key(secret), id, timestamp, body));

    /// <summary>Null when the call is signed by one of <paramref name="secrets"/> within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static WebhookRefusal? Verify(
        IReadOnlyList<string> secrets, string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (secrets.Count == 0)
        {
            return WebhookRefusal.NoSecret;
        }

        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return WebhookRefusal.Unsigned;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return WebhookRefusal.TooOld;
        }

        var given = signature.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Select(s => TryBase64(s[3..]))
            .Where(s => s is not null)
            .ToList();
        foreach (var secret in secrets)
        {
            byte[] key;
            try
            {
                key = Key(secret);
            }
            catch (FormatException)
            {
                continue;
            }

            var expected = Hmac(key, id, seconds, body);
            foreach (var candidate in given)
            {
                if (CryptographicOperations.FixedTimeEquals(expected, candidate))
                {
                    return null;
                }
            }
        }

        return WebhookRefusal.BadSignature;
    }

    /// <summary>True when the secret reads as a key (<c>whsec_</c> and base64, or base64).</summary>
    public static bool IsValidSecret(string secret)
    {
        try
        {
            return Key(secret).Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Key(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    private static byte[] Hmac(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }

    private static byte[]? TryBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
