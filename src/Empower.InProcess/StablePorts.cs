using System.Net;
using System.Net.Sockets;

namespace Empower.InProcess;

/// <summary>
/// Free loopback ports below Linux's ephemeral range (32768–60999): an outgoing connection of any process can take a
/// port of that range between the moment it was found free and the moment a server binds it, and a server that then
/// binds only another address family is reached by nobody. Ports picked here are taken only by other listeners.
/// </summary>
public static class StablePorts
{
    private const int From = 20_000;
    private const int To = 32_000;

    /// <summary>The first of <paramref name="count"/> consecutive free ports.</summary>
    public static int Pick(int count = 1)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int first = Random.Shared.Next(From, To - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free loopback ports between {From} and {To}.");
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
