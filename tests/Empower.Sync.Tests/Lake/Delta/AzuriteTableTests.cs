using Azure.Storage.Blobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing;
using Empower.Testing.Azurite;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Delta;

/// <summary>The test tables uploaded to a blob container (Azurite) read exactly as they do from disk.</summary>
public sealed class AzuriteTableTests(AzuriteTableTests.UploadedTables uploaded) : IClassFixture<AzuriteTableTests.UploadedTables>
{
    public static TheoryData<string> Tables => new(TestTables.ExpectedRows.Keys.Order());

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task A_table_in_blob_storage_reads_like_the_local_copy(string name)
    {
        var blob = new BlobLakeStorage(uploaded.Container, $"lake/delta/{name}");
        var local = new LocalLakeStorage(TestTables.DeltaPath(name));
        var options = TestTables.ReadOptionsFor(name);

        var blobTable = await LakeTableOpener.OpenAsync(blob, TableRequest.Latest);
        var localTable = await LakeTableOpener.OpenAsync(local, TableRequest.Latest);

        Assert.Equal(localTable.Version, blobTable.Version);
        Assert.Equal(TestTables.ExpectedRows[name], await TableStatistics.CountRowsAsync(blob, blobTable));
        Assert.Equal(
            RowText.Rows(await TestTables.ReadAllAsync(local, localTable, options)),
            RowText.Rows(await TestTables.ReadAllAsync(blob, blobTable, options)));
        Assert.StartsWith(uploaded.Container.Uri.AbsoluteUri, blobTable.Location);
    }

    [Fact]
    public async Task A_parquet_folder_in_blob_storage_reads_like_the_local_copy()
    {
        var blob = new BlobLakeStorage(uploaded.Container, "lake/delta-expected/parquet-all-types");
        var local = new LocalLakeStorage(TestTables.ExpectedPath("parquet-all-types"));

        var blobRows = RowText.Rows(await TestTables.ReadAllAsync(blob, await LakeTableOpener.OpenAsync(blob, TableRequest.Latest)));
        var localRows = RowText.Rows(await TestTables.ReadAllAsync(local, await LakeTableOpener.OpenAsync(local, TableRequest.Latest)));

        Assert.Equal(200, blobRows.Count);
        Assert.Equal(localRows, blobRows);
    }

    /// <summary>One Azurite and one container holding all of tests/testdata, shared by the tests of this class.</summary>
    public sealed class UploadedTables : IAsyncLifetime
    {
        private readonly AzuriteFixture _azurite = new();

        public BlobContainerClient Container { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _azurite.InitializeAsync();
            Container = new BlobContainerClient(_azurite.ConnectionString, "exports");
            await Container.CreateAsync();
            foreach (var file in Directory.GetFiles(RepositoryRoot.TestData, "*", SearchOption.AllDirectories))
            {
                string name = "lake/" + Path.GetRelativePath(RepositoryRoot.TestData, file).Replace('\\', '/');
                await Container.GetBlobClient(name).UploadAsync(file);
            }
        }

        public Task DisposeAsync() => _azurite.DisposeAsync();
    }
}
