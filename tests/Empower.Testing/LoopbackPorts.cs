using System.Net;
using System.Net.Sockets;

namespace Empower.Testing;

/// <summary>Free loopback ports for the servers tests start; another server may still take one first, so starters retry.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
