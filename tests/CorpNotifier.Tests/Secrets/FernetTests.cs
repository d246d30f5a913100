using System.Text;
using CorpNotifier.Secrets;

namespace CorpNotifier.Tests.Secrets;

/// <summary>
/// Fernet as Python producers make it: the specification's published vectors
/// (github.com/fernet/spec, generate.json and verify.json), refusals, key rotation, and tokens
/// made by Python's <c>cryptography</c> package (Debian's python3-cryptography, which test.sh installs).
/// </summary>
public sealed class FernetTests
{
    private const string SpecSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private const string SpecToken = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";
    private static readonly DateTimeOffset SpecNow = DateTimeOffset.Parse("1985-10-26T01:20:00-07:00", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly FernetKey Key = FernetKey.Parse(SpecSecret);
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_specification_s_generate_vector_gives_its_token() =>
        Fernet.Encrypt(Key, "hello"u8, SpecNow, [.. Enumerable.Range(0, 16).Select(i => (byte)i)]).ShouldBe(SpecToken);

    [Fact]
    public void The_specification_s_verify_vector_opens_within_its_time_to_live()
    {
        Fernet.TryDecrypt([Key], SpecToken, out var plain, Minute, SpecNow.AddSeconds(1)).ShouldBeTrue();
        Encoding.UTF8.GetString(plain).ShouldBe("hello");
    }

    [Fact]
    public void A_token_past_its_time_to_live_is_refused() =>
        Fernet.TryDecrypt([Key], SpecToken, out _, Minute, SpecNow.AddSeconds(61)).ShouldBeFalse();

    [Fact]
    public void A_token_stamped_more_than_a_minute_ahead_is_refused_when_a_time_to_live_applies() =>
        Fernet.TryDecrypt([Key], SpecToken, out _, Minute, SpecNow.AddSeconds(-61)).ShouldBeFalse();

    [Fact]
    public void Without_a_time_to_live_an_old_token_still_opens() =>
        Fernet.TryDecrypt([Key], SpecToken, out _).ShouldBeTrue();

    [Fact]
    public void A_token_with_a_bad_hmac_is_refused()
    {
        var bytes = Convert.FromBase64String(SpecToken.Replace('-', '+').Replace('_', '/'));
        bytes[^1] ^= 0x01;
        Fernet.TryDecrypt([Key], Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_'), out _).ShouldBeFalse();
    }

    [Fact]
    public void A_token_made_with_another_key_is_refused() =>
        Fernet.TryDecrypt([FernetKey.Parse(NewKey())], SpecToken, out _).ShouldBeFalse();

    [Theory]
    [InlineData("")]
    [InlineData("%%%%not base64%%%%")]
    [InlineData("gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODw==")]
    [InlineData("AAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==")]
    public void Malformed_tokens_are_refused(string token) =>
        Fernet.TryDecrypt([Key], token, out _).ShouldBeFalse();

    [Fact]
    public void During_a_key_rotation_a_token_of_the_old_key_opens_with_the_new_key_first()
    {
        var oldKey = FernetKey.Parse(NewKey());
        var token = Fernet.Encrypt(oldKey, "s3cret"u8, DateTimeOffset.UtcNow);
        Fernet.TryDecrypt([FernetKey.Parse(NewKey()), oldKey], token, out var plain).ShouldBeTrue();
        Encoding.UTF8.GetString(plain).ShouldBe("s3cret");
    }

    [Fact]
    public void A_token_made_by_python_s_cryptography_opens_here_and_one_made_here_opens_there()
    {
        var secret = NewKey();
        var fromPython = PythonFernet.Encrypt(secret, "Пароль-7 ünï");
        Fernet.TryDecrypt([FernetKey.Parse(secret)], fromPython, out var plain).ShouldBeTrue(fromPython);
        Encoding.UTF8.GetString(plain).ShouldBe("Пароль-7 ünï");

        var fromHere = Fernet.Encrypt(FernetKey.Parse(secret), Encoding.UTF8.GetBytes("Tmp-Pass-42"), DateTimeOffset.UtcNow);
        PythonFernet.Decrypt(secret, fromHere, ttlSeconds: 60).ShouldBe("Tmp-Pass-42");
    }

    [Fact]
    public void Configured_keys_are_checked_at_start_without_repeating_them()
    {
        var options = new SecretsOptions { FernetKeys = [NewKey(), "not-a-key-but-a-secret"] };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true).ShouldBeFalse();
        results.ShouldHaveSingleItem().ErrorMessage!.ShouldNotContain("not-a-key-but-a-secret");
        results[0].MemberNames.ShouldBe(["FernetKeys:1"]);
    }

    private static string NewKey() => PythonFernet.NewKey();
}
