using Azure.Core;
using Empower.Sync.Dataverse.Configuration;

namespace Empower.Sync.Dataverse.Auth;

/// <summary>One principal's bearer token, renewed a few minutes before it expires; concurrent callers share one renewal.</summary>
internal sealed class AccessTokenCache(TokenCredential credential, string scope, TimeProvider time)
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(DataverseDefaults.TokenRefreshMarginMinutes);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken _token;

    /// <summary>Forgets the token, after the server refused it.</summary>
    public void Invalidate() => _token = default;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token.Token is not null && _token.ExpiresOn - RefreshMargin > time.GetUtcNow())
        {
            return _token.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token.Token is null || _token.ExpiresOn - RefreshMargin <= time.GetUtcNow())
            {
                _token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
            }

            return _token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
