using System.Security.Cryptography;

namespace Empower.Sync.Dataverse.Auth;

/// <summary>
/// An HTTP handler that trusts exactly one server certificate, by SHA-256 thumbprint: how tests and local runs reach
/// the emulator's self-signed token endpoint without turning certificate validation off.
/// </summary>
internal static class PinnedCertificateHandler
{
    public static HttpClientHandler Create(string sha256Thumbprint)
    {
        string pinned = sha256Thumbprint.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.RawData)) == pinned,
        };
    }
}
