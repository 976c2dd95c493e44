namespace Empower.Testing;

/// <summary>
/// Free loopback ports for the servers tests start, outside the ephemeral range (<see cref="Empower.InProcess.StablePorts"/>),
/// so no outgoing connection of the tests alongside takes one before its server binds it — or between two starts of a
/// server that must come back on the same port. Another server may still take one first, so starters retry.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>The first of <paramref name="count"/> consecutive free ports (<c>empower emulator --port P</c> also binds P + 1 for HTTPS).</summary>
    public static int Free(int count = 1) => Empower.InProcess.StablePorts.Pick(count);
}
