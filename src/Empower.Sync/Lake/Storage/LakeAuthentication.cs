namespace Empower.Sync.Lake.Storage;

/// <summary>How Empower signs in to Blob Storage / ADLS Gen2.</summary>
public enum LakeAuthentication
{
    /// <summary>The connection string when one is set, otherwise <see cref="DefaultAzureCredential"/>.</summary>
    Auto,

    /// <summary><c>Azure.Identity.DefaultAzureCredential</c>: environment, workload identity, managed identity, Azure CLI...</summary>
    DefaultAzureCredential,

    /// <summary>A system-assigned managed identity, or a user-assigned one given by <c>ManagedIdentityClientId</c>.</summary>
    ManagedIdentity,

    /// <summary>An app registration's client secret (<c>TenantId</c>, <c>ClientId</c>, <c>ClientSecret</c>).</summary>
    ClientSecret,

    /// <summary>A storage account connection string (Azurite, or account keys / SAS).</summary>
    ConnectionString,
}
