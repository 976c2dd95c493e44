using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Empower.Testing.Azurite;

namespace Empower.Sync.Tests.Infrastructure;

/// <summary>The storage emulator the lake tests rely on starts, serves the blob operations we use, and stops.</summary>
public sealed class AzuriteFixtureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Blob_write_once_and_prefix_listing_work_against_Azurite()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "lake");
        await container.CreateIfNotExistsAsync();
        var commit = container.GetBlobClient("table/_delta_log/00000000000000000000.json");

        await commit.UploadAsync(BinaryData.FromString("{\"commitInfo\":{}}"),
            new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } });
        var second = await Assert.ThrowsAsync<RequestFailedException>(() =>
            commit.UploadAsync(BinaryData.FromString("{}"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }));

        Assert.Equal(409, second.Status);
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "table/_delta_log/", default))
        {
            names.Add(item.Name);
        }

        Assert.Equal(["table/_delta_log/00000000000000000000.json"], names);
        Assert.Equal("{\"commitInfo\":{}}", (await commit.DownloadContentAsync()).Value.Content.ToString());
    }
}
