using Azure.Identity;
using Azure.Storage.Blobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Azurite;
using Empower.Testing.Lake;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Tests.Lake.Storage;

public sealed class LakeStorageFactoryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public void A_local_path_needs_no_credentials()
    {
        var storage = LakeStorageFactory.Create(TestTables.DeltaPath("simple_table"),
            new LakeConnectionOptions { Authentication = LakeAuthentication.ClientSecret });

        Assert.IsType<LocalLakeStorage>(storage);
    }

    [Fact]
    public async Task A_connection_string_opens_a_path_style_url_on_azurite()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "factory");
        await container.CreateIfNotExistsAsync();
        foreach (var file in Directory.GetFiles(TestTables.DeltaPath("basic_partitioned"), "*", SearchOption.AllDirectories))
        {
            string name = "tables/basic/" + Path.GetRelativePath(TestTables.DeltaPath("basic_partitioned"), file).Replace('\\', '/');
            await container.GetBlobClient(name).UploadAsync(file, overwrite: true);
        }

        var storage = LakeStorageFactory.Create(
            $"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1/factory/tables/basic",
            new LakeConnectionOptions { ConnectionString = azurite.ConnectionString });
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        Assert.Equal(6, await TableStatistics.CountRowsAsync(storage, table));
    }

    [Fact]
    public void Missing_settings_are_all_named_by_configuration_key()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => LakeStorageFactory.Create(
            "abfss://exports@contoso.dfs.core.windows.net/sales",
            new LakeConnectionOptions { Authentication = LakeAuthentication.ClientSecret, TenantId = "t" }));

        Assert.Equal(["Empower:Lake:ClientId is required when Empower:Lake:Authentication is ClientSecret.",
            "Empower:Lake:ClientSecret is required when Empower:Lake:Authentication is ClientSecret."], ex.Failures);
    }

    [Theory]
    [InlineData(LakeAuthentication.ClientSecret, typeof(ClientSecretCredential))]
    [InlineData(LakeAuthentication.ManagedIdentity, typeof(ManagedIdentityCredential))]
    [InlineData(LakeAuthentication.Auto, typeof(DefaultAzureCredential))]
    [InlineData(LakeAuthentication.DefaultAzureCredential, typeof(DefaultAzureCredential))]
    public void The_configured_authentication_picks_its_credential(LakeAuthentication authentication, Type expected)
    {
        var options = new LakeConnectionOptions { Authentication = authentication, TenantId = "t", ClientId = "c", ClientSecret = "s" };

        Assert.IsType(expected, LakeStorageFactory.CreateCredential(options));
    }

    [Fact]
    public void An_abfss_url_goes_to_the_blob_endpoint_of_the_account()
    {
        var storage = LakeStorageFactory.Create(
            "abfss://exports@contoso.dfs.core.windows.net/sales/orders",
            new LakeConnectionOptions { Authentication = LakeAuthentication.ManagedIdentity });

        Assert.Equal("https://contoso.blob.core.windows.net/exports/sales/orders/_delta_log/", storage.Describe("_delta_log/"));
    }
}
