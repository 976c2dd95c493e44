using Azure.Storage.Blobs;
using Empower.Sync.Lake.Storage;
using Empower.Testing.Azurite;

namespace Empower.Sync.Tests.Lake.Storage;

public sealed class BlobLakeStorageTests(AzuriteFixture azurite) : LakeStorageContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<ILakeStorage> CreateAsync()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, $"lake-{Guid.NewGuid():N}");
        await container.CreateAsync();
        return new BlobLakeStorage(container, "exports/root");
    }
}
