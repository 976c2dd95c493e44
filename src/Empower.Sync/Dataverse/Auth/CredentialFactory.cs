using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Empower.Sync.Dataverse.Configuration;

namespace Empower.Sync.Dataverse.Auth;

/// <summary>Builds the Azure.Identity credential of each principal.</summary>
internal static class CredentialFactory
{
    public static TokenCredential Create(PrincipalOptions principal, DataverseOptions options)
    {
        string? tenant = principal.TenantId ?? options.TenantId;
        switch (principal.Credential)
        {
            case PrincipalCredentialKind.ClientSecret:
                return new ClientSecretCredential(tenant, principal.ClientId, principal.ClientSecret, Configure(new ClientSecretCredentialOptions(), options));
            case PrincipalCredentialKind.Certificate:
                return new ClientCertificateCredential(tenant, principal.ClientId, principal.CertificatePath,
                    Configure(new ClientCertificateCredentialOptions(), options));
            case PrincipalCredentialKind.WorkloadIdentity:
                var workload = Configure(new WorkloadIdentityCredentialOptions { TenantId = tenant, ClientId = principal.ClientId }, options);
                if (principal.TokenFilePath is not null)
                {
                    workload.TokenFilePath = principal.TokenFilePath;
                }

                return new WorkloadIdentityCredential(workload);
            default:
                return string.IsNullOrWhiteSpace(principal.ClientId)
                    ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                    : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(principal.ClientId));
        }
    }

    private static T Configure<T>(T credentialOptions, DataverseOptions options)
        where T : TokenCredentialOptions
    {
        if (options.AuthorityHost is { } authority)
        {
            credentialOptions.AuthorityHost = authority;
            switch (credentialOptions)
            {
                case ClientSecretCredentialOptions s:
                    s.DisableInstanceDiscovery = true;
                    break;
                case ClientCertificateCredentialOptions c:
                    c.DisableInstanceDiscovery = true;
                    break;
                case WorkloadIdentityCredentialOptions w:
                    w.DisableInstanceDiscovery = true;
                    break;
            }
        }

        if (options.DevelopmentCertificateThumbprint is { } thumbprint)
        {
            credentialOptions.Transport = new HttpClientTransport(PinnedCertificateHandler.Create(thumbprint));
        }

        return credentialOptions;
    }
}
