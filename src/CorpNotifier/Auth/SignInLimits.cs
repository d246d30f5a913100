using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using CorpNotifier.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Auth;

/// <summary>
/// Section <c>Auth:Limits</c>: how many failed authentications (an unknown API key, on the API or the
/// console's sign-in form) a caller may make in a window before its keys are refused unread.
/// </summary>
public sealed class SignInLimitsOptions
{
    /// <summary>Failures per window from one caller address (an IPv6 caller: its /64).</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 20;

    /// <summary>
    /// Failures per window, from all addresses together, of keys that begin with the same
    /// <see cref="SignInLimits.PrefixLength"/> characters. Higher than the address's limit: it is
    /// there for a guesser spread over many addresses, and a legitimate key sharing the prefix is
    /// refused while it is exhausted.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PrefixPermitLimit { get; set; } = 100;

    /// <summary>The window the failures are counted in; a refused caller may try again when it ends.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Where a key was presented: the tag of the <c>corp_notifier.auth…</c> counters.</summary>
public static class SignInPlace
{
    public const string Api = "api";
    public const string Console = "console";
}

/// <summary>
/// Brute-force limits on API keys. A key is looked at only while neither its caller's address nor
/// its prefix has used up its failures for the window; otherwise the request is refused
/// (<c>429</c> with <c>Retry-After</c>) before the key is compared, so a guesser learns nothing from
/// the refused tries. Only failures count: a successful call takes no permit and is never delayed.
/// The counts live in this process: N instances allow N times the limit, each window.
/// </summary>
public sealed partial class SignInLimits : IDisposable
{
    /// <summary>
    /// How many leading characters of a presented key name its prefix partition. Keys are random
    /// strings (the generated one is 32 characters of base64url): eight characters are about 48 bits,
    /// which a stranger does not guess, so only someone who already holds a key's beginning can
    /// spend that key's prefix budget — and that key should be rotated anyway.
    /// </summary>
    public const int PrefixLength = 8;

    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly PartitionedRateLimiter<string> _prefixes;
    private readonly NotifierMetrics _metrics;
    private readonly ILogger<SignInLimits> _logger;

    public SignInLimits(IOptions<SignInLimitsOptions> options, NotifierMetrics metrics, ILogger<SignInLimits> logger)
    {
        var limits = options.Value;
        _addresses = Partitioned(limits.PermitLimit, limits.Window);
        _prefixes = Partitioned(limits.PrefixPermitLimit, limits.Window);
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Whether a key from this caller may be checked at all: <c>null</c> if it may, else how long
    /// the caller waits. A refusal is counted (<c>corp_notifier.auth.throttled</c>).
    /// </summary>
    public TimeSpan? Refusal(HttpContext context, string presentedKey, string place)
    {
        var address = CallerAddress(context);
        using var byAddress = _addresses.AttemptAcquire(address, 0);
        using var byPrefix = _prefixes.AttemptAcquire(Prefix(presentedKey), 0);
        if (byAddress.IsAcquired && byPrefix.IsAcquired)
        {
            return null;
        }

        var partition = byAddress.IsAcquired ? "prefix" : "address";
        var wait = new[] { byAddress, byPrefix }
            .Select(l => l.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.Zero)
            .Max();
        _metrics.AuthThrottled(place, partition);
        LogThrottled(address, place, partition);
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }

    /// <summary>An unknown key was presented: one failure for the caller's address and for the key's prefix, logged and counted.</summary>
    public void Failed(HttpContext context, string presentedKey, string place)
    {
        var address = CallerAddress(context);
        using var byAddress = _addresses.AttemptAcquire(address, 1);
        using var byPrefix = _prefixes.AttemptAcquire(Prefix(presentedKey), 1);
        _metrics.AuthFailed(place);
        LogFailed(address, place);
        using var next = _addresses.AttemptAcquire(address, 0);
        if (!next.IsAcquired)
        {
            LogAddressExhausted(address);
        }
    }

    /// <summary>
    /// The caller's address as the limits count it: the forwarded one when the request came through
    /// a known proxy (<c>ForwardedHeaders</c>), an IPv4-mapped address as IPv4, an IPv6 address by
    /// its /64 (what one subscriber is usually given), and <c>unknown</c> when there is none.
    /// </summary>
    public static string CallerAddress(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>A wait as the whole seconds of a <c>Retry-After</c> header, rounded up, at least one.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static string Prefix(string key) => key.Length <= PrefixLength ? key : key[..PrefixLength];

    private static PartitionedRateLimiter<string> Partitioned(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _addresses.Dispose();
        _prefixes.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed from {CallerAddress} ({Place}): unknown API key")]
    private partial void LogFailed(string callerAddress, string place);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication from {CallerAddress} is refused unchecked until the window ends: it used up its failed attempts")]
    private partial void LogAddressExhausted(string callerAddress);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Authentication from {CallerAddress} ({Place}) refused unchecked: the {Partition} has used up its failed attempts")]
    private partial void LogThrottled(string callerAddress, string place, string partition);
}
