namespace Empower.Sync.Dataverse.Configuration;

/// <summary>One application user of the Dataverse environment (<c>Empower:Dataverse:Principals:N</c>).</summary>
public sealed class PrincipalOptions
{
    public PrincipalCredentialKind Credential { get; set; } = PrincipalCredentialKind.ClientSecret;

    /// <summary>The app registration's (or user-assigned managed identity's) client id; names the principal in logs.</summary>
    public string? ClientId { get; set; }

    /// <summary>Directory (tenant) id; defaults to <c>Empower:Dataverse:TenantId</c>.</summary>
    public string? TenantId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>PFX or PEM file with the private key, for <see cref="PrincipalCredentialKind.Certificate"/>.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Token file for workload identity (defaults to <c>AZURE_FEDERATED_TOKEN_FILE</c>).</summary>
    public string? TokenFilePath { get; set; }
}
