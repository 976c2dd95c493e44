using System.ComponentModel.DataAnnotations;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>
/// HTTPS listener for the token endpoint (Azure.Identity refuses a non-TLS authority host). The certificate is a
/// self-signed development certificate: generated at start-up, or loaded from (and first saved to) <see cref="CertificatePath"/>
/// so its thumbprint stays stable across restarts.
/// </summary>
public sealed class HttpsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>0 picks a free port; standalone runs default to the HTTP port + 1.</summary>
    [Range(0, 65535)]
    public int? Port { get; set; }

    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}
