using Azure.Storage.Blobs;
using Empower.Sync.FailedRows;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Storage;
using Empower.Testing.Azurite;
using Empower.Testing.Lake;
using Microsoft.Extensions.Time.Testing;

namespace Empower.Sync.Tests.FailedRows;

public sealed class FailedRowsTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private static FailedRow Row(string run, long index, FailureStage stage = FailureStage.Publish, string? payload = "{\"name\":\"x\"}") =>
        new(run, "contacts", "contact", "part-0.parquet", index, $"c{index}@example.com", stage, "0x80044331", "too long", 1, "empower-app-1", Now, payload);

    [Fact]
    public async Task Runs_append_commits_that_read_back_as_a_delta_table()
    {
        using var folder = TempTable.Empty();
        var storage = new LocalLakeStorage(folder.Path);
        var table = new FailedRowsTable(storage, new FakeTimeProvider(Now));

        long? first = await table.RecordRunAsync("run-1", [Row("run-1", 3), Row("run-1", 9, FailureStage.Prepare, payload: null)], includePayload: true);
        long? second = await table.RecordRunAsync("run-2", [Row("run-2", 4)], includePayload: false);
        long? none = await table.RecordRunAsync("run-3", [], includePayload: true);

        Assert.Equal((0L, 1L, (long?)null), (first!.Value, second!.Value, none));
        Assert.Equal([Row("run-1", 3), Row("run-1", 9, FailureStage.Prepare, payload: null)], await table.ReadAsync("run-1"));
        Assert.Equal([Row("run-2", 4, payload: null)], await table.ReadAsync("run-2"));
        Assert.Equal(3, (await table.ReadAsync()).Count);
        var snapshot = await (await DeltaTable.OpenAsync(storage, CancellationToken.None)).SnapshotAsync();
        Assert.Equal(2, snapshot.Files.Count);
        Assert.Contains("\"name\":\"row_index\",\"type\":\"long\"", snapshot.Metadata.SchemaString);
    }

    [Fact]
    public async Task Recording_a_run_again_replaces_what_an_earlier_execution_of_that_run_recorded()
    {
        using var folder = TempTable.Empty();
        var table = new FailedRowsTable(new LocalLakeStorage(folder.Path), new FakeTimeProvider(Now));
        await table.RecordRunAsync("run-1", [Row("run-1", 1), Row("run-1", 2)], includePayload: true);
        await table.RecordRunAsync("run-10", [Row("run-10", 7)], includePayload: true);

        await table.RecordRunAsync("run-1", [Row("run-1", 2), Row("run-1", 3), Row("run-1", 4)], includePayload: true);

        Assert.Equal([2L, 3L, 4L], (await table.ReadAsync("run-1")).Select(r => r.RowIndex).Order());
        Assert.Equal([7L], (await table.ReadAsync("run-10")).Select(r => r.RowIndex));
        long? cleared = await table.RecordRunAsync("run-1", [], includePayload: true);
        Assert.NotNull(cleared);
        Assert.Empty(await table.ReadAsync("run-1"));
        Assert.Single(await table.ReadAsync("run-10"));
    }

    [Fact]
    public async Task Concurrent_writers_on_blob_storage_each_get_their_own_version()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, $"failed-{Guid.NewGuid():N}");
        await container.CreateAsync();
        var storage = new BlobLakeStorage(container, "jobs/contacts/failed_rows");

        var versions = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            new FailedRowsTable(storage, TimeProvider.System).RecordRunAsync($"run-{i}", [Row($"run-{i}", i)], includePayload: true)));

        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], versions.Select(v => v!.Value).Order());
        var rows = await new FailedRowsTable(storage, TimeProvider.System).ReadAsync();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"run-{i}"), rows.Select(r => r.RunId).Order());
    }

    [Fact]
    public async Task A_job_without_failed_rows_reads_as_empty()
    {
        using var folder = TempTable.Empty();

        Assert.Empty(await new FailedRowsTable(new LocalLakeStorage(folder.Path), TimeProvider.System).ReadAsync());
    }
}
