using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Empower.Dataverse.Emulator.Options;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Auth;

/// <summary>Issues opaque bearer tokens to registered principals (client-credentials grant) and validates them.</summary>
public sealed class TokenService
{
    private readonly Dictionary<string, string> _secrets;
    private readonly ConcurrentDictionary<string, (EmulatorPrincipal Principal, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public TokenService(IOptions<EmulatorOptions> options, TimeProvider time)
    {
        _time = time;
        _lifetime = TimeSpan.FromSeconds(options.Value.TokenLifetimeSeconds);
        _secrets = Principals(options.Value).ToDictionary(p => p.ClientId, p => p.ClientSecret, StringComparer.Ordinal);
    }

    public TimeSpan Lifetime => _lifetime;

    public IReadOnlyCollection<string> ClientIds => _secrets.Keys;

    public static IEnumerable<PrincipalOptions> Principals(EmulatorOptions options) => options.Principals.Count > 0
        ? options.Principals
        : Enumerable.Range(1, EmulatorDefaults.DefaultPrincipalCount).Select(i => new PrincipalOptions
        {
            ClientId = EmulatorDefaults.DefaultPrincipalPrefix + i,
            ClientSecret = EmulatorDefaults.DevelopmentSecret,
        });

    /// <summary>Returns a token, or null when the client id is unknown or the secret is wrong.</summary>
    public string? Issue(string clientId, string clientSecret)
    {
        if (!_secrets.TryGetValue(clientId, out var expected) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(clientSecret)))
        {
            return null;
        }

        string token = Base64UrlToken();
        _tokens[token] = (new EmulatorPrincipal(clientId, UserId(clientId)), _time.GetUtcNow() + _lifetime);
        return token;
    }

    public EmulatorPrincipal? Validate(string token) =>
        _tokens.TryGetValue(token, out var entry) && entry.Expires > _time.GetUtcNow() ? entry.Principal : null;

    private static Guid UserId(string clientId) => new(MD5.HashData(Encoding.UTF8.GetBytes("systemuser:" + clientId)));

    private static string Base64UrlToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
