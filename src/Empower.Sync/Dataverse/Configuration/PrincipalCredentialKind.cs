namespace Empower.Sync.Dataverse.Configuration;

/// <summary>How an application user (service principal) gets its tokens from Microsoft Entra ID.</summary>
public enum PrincipalCredentialKind
{
    ClientSecret,
    Certificate,
    ManagedIdentity,
    WorkloadIdentity,
}
