using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CorpNotifier.Rules;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Unsubscribes;

/// <summary>What an unsubscribe link stands for: an address and a category, and the letter it came in (for the record).</summary>
public sealed record UnsubscribeToken(string Address, string Category, string Kind, long NoticeId, string Locale, DateTimeOffset ExpiresAt);

/// <summary>What a link's token turned out to be.</summary>
public abstract record TokenReading
{
    public sealed record Valid(UnsubscribeToken Token) : TokenReading;

    /// <summary>Genuine but older than <see cref="UnsubscribeOptions.TokenLifetime"/>.</summary>
    public sealed record Expired(UnsubscribeToken Token) : TokenReading;

    /// <summary>Not one of ours: tampered with, truncated, or made with keys this service does not hold.</summary>
    public sealed record Invalid : TokenReading;
}

/// <summary>
/// The tokens of unsubscribe links: the address, category, kind, letter and locale, encrypted and
/// signed with ASP.NET Core Data Protection (keys in the database, so every instance reads every
/// token), with an expiry checked on the service's clock. The address is never readable in the link.
/// </summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider provider, TimeProvider time, IOptions<UnsubscribeOptions> options)
{
    /// <summary>The protector's purpose: a token made for anything else does not open here, nor one of these elsewhere.</summary>
    public const string Purpose = "CorpNotifier.Unsubscribes.Token.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    /// <summary>A token for <paramref name="address"/> and <paramref name="category"/>, valid for <see cref="UnsubscribeOptions.TokenLifetime"/> from <paramref name="now"/>.</summary>
    public string Create(string address, NoticeCategory category, string kind, long noticeId, string locale, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(category);
        var expires = now + options.Value.TokenLifetime;
        var payload = new Payload(Preferences.Normalize(address), category.Name, kind, noticeId, locale, expires.ToUnixTimeSeconds());
        return WebEncoders.Base64UrlEncode(_protector.Protect(JsonSerializer.SerializeToUtf8Bytes(payload)));
    }

    public TokenReading Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2048)
        {
            return new TokenReading.Invalid();
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(_protector.Unprotect(WebEncoders.Base64UrlDecode(token)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return new TokenReading.Invalid();
        }

        if (payload is null || string.IsNullOrEmpty(payload.Address) || NoticeCategory.Named(payload.Category) is not { Mandatory: false })
        {
            return new TokenReading.Invalid();
        }

        var read = new UnsubscribeToken(payload.Address, payload.Category, payload.Kind ?? "", payload.NoticeId, payload.Locale ?? "", DateTimeOffset.FromUnixTimeSeconds(payload.ExpiresAt));
        return read.ExpiresAt <= time.GetUtcNow() ? new TokenReading.Expired(read) : new TokenReading.Valid(read);
    }

    private sealed record Payload(
        [property: JsonPropertyName("a")] string Address,
        [property: JsonPropertyName("c")] string Category,
        [property: JsonPropertyName("k")] string? Kind,
        [property: JsonPropertyName("n")] long NoticeId,
        [property: JsonPropertyName("l")] string? Locale,
        [property: JsonPropertyName("e")] long ExpiresAt);
}
