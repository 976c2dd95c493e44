using System.Security.Cryptography;
using System.Text;
using Empower.Dataverse.Emulator.Options;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Throttling;

/// <summary>
/// Which modelled web server serves a request. A real org sits behind a load balancer that sets an <c>ARRAffinity</c> cookie; a
/// client that sends it back always reaches the same server, one that does not is spread over all of them — and service protection
/// limits are evaluated per web server (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits, "Remove the
/// affinity cookie"), so keeping the cookie lowers a client's ceiling.
/// </summary>
public sealed class WebServerRouter
{
    public const string AffinityCookie = "ARRAffinity";

    private readonly string[] _affinities;
    private long _next = -1;

    public WebServerRouter(IOptions<EmulatorOptions> options)
    {
        // Opaque hex values like a real load balancer's, stable across restarts so a kept cookie stays valid.
        _affinities = [.. Enumerable.Range(0, options.Value.WebServers)
            .Select(i => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"emulator-web-server-{i}"))))];
    }

    public int Count => _affinities.Length;

    /// <summary>The server the cookie names, or the next in turn when there is none or it names no server.</summary>
    public int Route(string? affinity)
    {
        int named = affinity is null ? -1 : Array.IndexOf(_affinities, affinity);
        return named >= 0 ? named : (int)((ulong)Interlocked.Increment(ref _next) % (ulong)_affinities.Length);
    }

    /// <summary>The <c>Set-Cookie</c> value that routes later requests to <paramref name="server"/>.</summary>
    public string SetCookie(int server) => $"{AffinityCookie}={_affinities[server]}; Path=/; HttpOnly";
}
