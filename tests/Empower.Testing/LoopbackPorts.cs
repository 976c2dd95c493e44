using System.Net;
using System.Net.Sockets;

namespace Empower.Testing;

/// <summary>Free loopback ports for the servers tests start; another server may still take one first, so starters retry.</summary>
public static class LoopbackPorts
{
    // Below Linux's ephemeral range (32768–60999): outgoing connections of the tests alongside never take these.
    private const int StableFrom = 20_000;
    private const int StableTo = 32_000;

    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports outside the ephemeral range, for a server that must
    /// come back on the same ports after a restart (<c>empower emulator --port P</c> also binds P + 1 for HTTPS).
    /// </summary>
    public static int Stable(int count = 1)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int first = Random.Shared.Next(StableFrom, StableTo - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free loopback ports between {StableFrom} and {StableTo}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
