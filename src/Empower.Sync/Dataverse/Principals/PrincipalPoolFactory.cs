using System.Net;
using Empower.Sync.Dataverse.Auth;
using Empower.Sync.Dataverse.Configuration;
using Microsoft.Extensions.Logging;

namespace Empower.Sync.Dataverse.Principals;

/// <summary>Builds the principals of an environment: one connection pool and one token per principal.</summary>
internal static class PrincipalPoolFactory
{
    public static PrincipalPool Create(DataverseOptions options, TimeProvider time, ILogger? logger = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The Dataverse settings are not valid: " + string.Join(" ", problems));
        }

        string scope = new Uri(options.Environment, "/.default").AbsoluteUri;
        var principals = options.Principals.Select(p => new Principal(
            p.ClientId ?? "system-assigned managed identity",
            CreateHttpClient(options),
            new AccessTokenCache(CredentialFactory.Create(p, options), scope, time),
            options.InitialConcurrency,
            options.MaxConcurrencyPerPrincipal)).ToList();
        return new PrincipalPool(principals, time, logger);
    }

    /// <summary>
    /// Pooled connections that are recycled (so DNS changes and server moves are seen), no cookies (the affinity cookie
    /// would pin every request to one web server, and limits apply per server), compressed responses, and at most as
    /// many connections as requests the principal may have in flight.
    /// </summary>
    public static HttpClient CreateHttpClient(DataverseOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = options.ConnectionLifetime,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = options.MaxConcurrencyPerPrincipal,
            EnableMultipleHttp2Connections = true,
        };
        return new HttpClient(handler)
        {
            BaseAddress = options.ServiceRoot,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
