using System.Security.Cryptography.X509Certificates;

namespace Empower.Dataverse.Emulator.Certificates;

/// <summary>The HTTPS listener's certificate, or none when HTTPS is off.</summary>
public sealed record EmulatorCertificate(X509Certificate2? Certificate)
{
    public string? Thumbprint => Certificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
}
