using System.Security.Cryptography;
using System.Text;

namespace CorpNotifier.TestHosting;

/// <summary>
/// One personal API key per role, configured as ops configure them (<c>Auth:ApiKeys:{i}</c>: the
/// person's name, the role and the SHA-256 of the key in lower-case hex), and clients that
/// authenticate with them (the <c>X-Api-Key</c> header).
/// </summary>
public sealed class ApiKeys
{
    /// <summary>The header the service reads a key from.</summary>
    public const string Header = "X-Api-Key";

    private readonly Func<string, string> _nameOf;
    private readonly Func<string, string> _keyOf;

    public ApiKeys(IReadOnlyList<string> roles, Func<string, string> nameOf, Func<string, string> keyOf)
    {
        Roles = roles;
        _nameOf = nameOf;
        _keyOf = keyOf;
    }

    /// <summary>The service's roles: <c>Auth.Roles.All</c>.</summary>
    public static IReadOnlyList<string> AllRoles { get; } = ["producer", "viewer", "operator", "admin"];

    /// <summary>The keys a service gets unless its start says otherwise: <c>system-{role}</c> with the key <c>system-key-of-{role}</c>.</summary>
    public static ApiKeys Default { get; } = For("system");

    public IReadOnlyList<string> Roles { get; }

    /// <summary>A key for every role, <c>{owner}-{role}</c> by name, <c>{owner}-key-of-{role}</c> as the key.</summary>
    public static ApiKeys For(string owner) => new(AllRoles, role => $"{owner}-{role}", role => $"{owner}-key-of-{role}");

    /// <summary>The person the key of <paramref name="role"/> signs in as.</summary>
    public string NameOf(string role) => _nameOf(role);

    public string KeyOf(string role) => _keyOf(role);

    /// <summary>What the service stores of a key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The service's settings for these keys.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings() => Roles.SelectMany((role, index) => new[]
    {
        KeyValuePair.Create($"Auth:ApiKeys:{index}:Name", NameOf(role)),
        KeyValuePair.Create($"Auth:ApiKeys:{index}:Role", role),
        KeyValuePair.Create($"Auth:ApiKeys:{index}:Sha256", Hash(KeyOf(role))),
    });

    /// <summary>A new client of <paramref name="baseUrl"/> that authenticates with the key of <paramref name="role"/>.</summary>
    public HttpClient ClientAs(string role, string baseUrl)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add(Header, KeyOf(role));
        return client;
    }
}
