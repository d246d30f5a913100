using System.Net;
using System.Net.Sockets;

namespace CorpNotifier.TestHosting;

/// <summary>A loopback port nobody listens on right now (the system picks it), for a service or a stand-in.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
