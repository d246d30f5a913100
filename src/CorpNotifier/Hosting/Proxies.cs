using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace CorpNotifier.Hosting;

/// <summary>
/// Section <c>ForwardedHeaders</c>: the proxies (a TLS terminator, a load balancer) whose
/// <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> are believed. A request
/// from any other address keeps its own address, scheme and host whatever headers it carries.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c> or <c>fd00::5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Ranges the proxies are in, in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// Whether a proxy on the loopback interface (127.0.0.0/8, ::1: a sidecar, or nginx on the same
    /// host) is believed as well, as ASP.NET Core does by default. Set false when something untrusted
    /// can reach the service over loopback.
    /// </summary>
    public bool TrustLoopback { get; set; } = true;

    /// <summary>How many proxies in a row are read from the end of <c>X-Forwarded-For</c> (each one must be known).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i], out _))
            {
                yield return new ValidationResult($"'{KnownProxies[i]}' is not an IP address", [$"KnownProxies:{i}"]);
            }
        }

        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(KnownNetworks[i], out _))
            {
                yield return new ValidationResult($"'{KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/24)", [$"KnownNetworks:{i}"]);
            }
        }
    }
}

/// <summary>Turns <see cref="ProxyOptions"/> into ASP.NET Core's forwarded-headers settings.</summary>
internal sealed class ForwardedHeadersSetup(IOptions<ProxyOptions> proxies) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        var settings = proxies.Value;
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        options.ForwardLimit = settings.ForwardLimit;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        if (settings.TrustLoopback)
        {
            options.KnownIPNetworks.Add(IPNetwork.Parse("127.0.0.0/8"));
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
        }

        foreach (var proxy in settings.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in settings.KnownNetworks)
        {
            options.KnownIPNetworks.Add(IPNetwork.Parse(network));
        }

        if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
        {
            // With both lists empty ASP.NET Core would believe the headers from anyone: believe nobody instead.
            options.ForwardedHeaders = ForwardedHeaders.None;
        }
    }
}
