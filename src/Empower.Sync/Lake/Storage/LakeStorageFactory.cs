using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Empower.Sync.Hosting;

namespace Empower.Sync.Lake.Storage;

/// <summary>Opens the storage rooted at a table's location: a local folder, or a container folder signed in as configured.</summary>
public static class LakeStorageFactory
{
    public static ILakeStorage Create(string location, LakeConnectionOptions options)
    {
        var parsed = LakeLocation.Parse(location);
        if (parsed.IsLocal)
        {
            return new LocalLakeStorage(parsed.LocalPath!);
        }

        // Hosts validate at start-up; this catches options built in code (tests, embedders) before Azure.Identity does, less clearly.
        ValidatedOptions.Checked(options, LakeConnectionOptions.SectionName);

        var container = options.EffectiveAuthentication == LakeAuthentication.ConnectionString
            ? new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(parsed.Container)
            : new BlobContainerClient(new Uri($"{parsed.AccountEndpoint!.AbsoluteUri.TrimEnd('/')}/{parsed.Container}"), CreateCredential(options));
        return new BlobLakeStorage(container, parsed.Path);
    }

    public static TokenCredential CreateCredential(LakeConnectionOptions options)
    {
        var authority = options.AuthorityHost ?? AzureAuthorityHosts.AzurePublicCloud;
        return options.EffectiveAuthentication switch
        {
            LakeAuthentication.ClientSecret => new ClientSecretCredential(
                options.TenantId, options.ClientId, options.ClientSecret, new ClientSecretCredentialOptions { AuthorityHost = authority }),
            LakeAuthentication.ManagedIdentity => string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId)),
            _ => new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                AuthorityHost = authority,
                ManagedIdentityClientId = options.ManagedIdentityClientId,
            }),
        };
    }
}
