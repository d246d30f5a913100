using System.Net;
using CorpNotifier.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Auth;

/// <summary>
/// The embedded host as callers from many addresses reach it. The in-process server has no TCP
/// connection, so a test names the peer's address in <see cref="PeerHeader"/> and a middleware put in
/// front of the whole pipeline makes it the connection's remote address — what Kestrel would report
/// for a socket from there. Everything after it, the forwarded headers included, is the service's own.
/// </summary>
public sealed class EdgeHost : IDisposable
{
    /// <summary>The test's stand-in for the TCP peer; never read by the service.</summary>
    public const string PeerHeader = "X-Test-Peer";

    public EdgeHost(IDictionary<string, string?>? settings = null)
    {
        Host = new TestHost(settings);
        Factory = Host.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, PeerAddressFilter>()));
    }

    /// <summary>The host's settings, clock and log.</summary>
    public TestHost Host { get; }

    public WebApplicationFactory<CorpNotifier.Hosting.ServiceOptions> Factory { get; }

    /// <summary>A client whose requests come from <paramref name="peer"/>, with <paramref name="key"/> in <c>X-Api-Key</c> when given.</summary>
    public HttpClient From(string peer, string? key = null, bool cookies = false)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = cookies });
        client.DefaultRequestHeaders.Add(PeerHeader, peer);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(CorpNotifier.Auth.ApiKeyAuthenticationHandler.Header, key);
        }

        return client;
    }

    public void Dispose()
    {
        Factory.Dispose();
        Host.Dispose();
    }

    private sealed class PeerAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                    context.Request.Headers.Remove(PeerHeader);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
