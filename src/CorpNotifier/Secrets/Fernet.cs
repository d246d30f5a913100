using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CorpNotifier.Secrets;

/// <summary>A Fernet key: 32 bytes, URL-safe base64; the first half signs, the second encrypts.</summary>
public sealed class FernetKey
{
    private FernetKey(byte[] signing, byte[] encryption)
    {
        Signing = signing;
        Encryption = encryption;
    }

    internal byte[] Signing { get; }

    internal byte[] Encryption { get; }

    public static bool TryParse(string? text, out FernetKey? key)
    {
        key = null;
        if (!Fernet.TryDecodeBase64Url(text, out var bytes) || bytes.Length != 32)
        {
            return false;
        }

        key = new FernetKey(bytes[..16], bytes[16..]);
        return true;
    }

    public static FernetKey Parse(string text) =>
        TryParse(text, out var key) ? key! : throw new FormatException("A Fernet key is 32 bytes in URL-safe base64 (44 characters).");
}

/// <summary>
/// Fernet tokens (the format of Python's <c>cryptography.fernet</c>): version 0x80, a big-endian
/// Unix timestamp, a 16-byte IV, AES-128-CBC with PKCS7 padding, and an HMAC-SHA256 over all of
/// it, in URL-safe base64. A token decrypts with the first of several keys whose HMAC matches
/// (key rotation). With a time-to-live, a token older than it, or stamped more than a minute in
/// the future, is refused, as the reference implementation does.
/// </summary>
public static class Fernet
{
    private const byte Version = 0x80;
    private const int HeaderLength = 1 + 8 + 16;
    private const int MacLength = 32;
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    public static string Encrypt(FernetKey key, ReadOnlySpan<byte> plaintext, DateTimeOffset now, byte[]? iv = null)
    {
        iv ??= RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = key.Encryption;
        var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);

        var token = new byte[HeaderLength + ciphertext.Length + MacLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1, 8), now.ToUnixTimeSeconds());
        iv.CopyTo(token, 9);
        ciphertext.CopyTo(token, HeaderLength);
        HMACSHA256.HashData(key.Signing, token.AsSpan(0, HeaderLength + ciphertext.Length), token.AsSpan(HeaderLength + ciphertext.Length));
        return Convert.ToBase64String(token).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The plain bytes of <paramref name="token"/>, or false when no key opens it (or it is malformed, or outside its time-to-live).</summary>
    public static bool TryDecrypt(IReadOnlyList<FernetKey> keys, string? token, out byte[] plaintext, TimeSpan? timeToLive = null, DateTimeOffset? now = null)
    {
        plaintext = [];
        if (!TryDecodeBase64Url(token, out var bytes) || bytes.Length < HeaderLength + 16 + MacLength || bytes[0] != Version)
        {
            return false;
        }

        var cipherLength = bytes.Length - HeaderLength - MacLength;
        if (cipherLength % 16 != 0)
        {
            return false;
        }

        if (timeToLive is { } ttl)
        {
            var stamped = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1, 8)));
            var at = now ?? DateTimeOffset.UtcNow;
            if (stamped + ttl < at || stamped > at + MaxClockSkew)
            {
                return false;
            }
        }

        var signed = bytes.AsSpan(0, bytes.Length - MacLength);
        var mac = bytes.AsSpan(bytes.Length - MacLength);
        Span<byte> expected = stackalloc byte[MacLength];
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key.Signing, signed, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, mac))
            {
                continue;
            }

            try
            {
                using var aes = Aes.Create();
                aes.Key = key.Encryption;
                plaintext = aes.DecryptCbc(bytes.AsSpan(HeaderLength, cipherLength), bytes.AsSpan(9, 16), PaddingMode.PKCS7);
                return true;
            }
            catch (CryptographicException)
            {
                return false; // authentic, yet badly padded: not a token this format makes
            }
        }

        return false;
    }

    internal static bool TryDecodeBase64Url(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var standard = text.Trim().Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        try
        {
            bytes = Convert.FromBase64String(standard);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
