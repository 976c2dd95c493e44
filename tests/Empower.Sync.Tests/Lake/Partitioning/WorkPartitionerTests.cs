using System.Text.Json;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Lake;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Tests.Lake.Partitioning;

public sealed class WorkPartitionerTests
{
    [Fact]
    public async Task Small_files_are_packed_within_the_row_bound_and_every_row_is_read_once()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("dv-partitioned-with-checkpoint"));
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        var partitions = await WorkPartitioner.PlanAsync(storage, table.Files, new PartitioningOptions { MaxRows = 6 });

        Assert.True(partitions.Count > 1);
        Assert.All(partitions, p => Assert.True(p.Rows <= 6 || p.Items.Count == 1));
        Assert.Equal(table.Files.Select(f => f.Path), partitions.SelectMany(p => p.Items).Select(i => i.File.Path));
        var fromPartitions = await ReadAsync(storage, table, partitions);
        Assert.Equal(RowText.Rows(await TestTables.ReadAllAsync(storage, table)), fromPartitions);
    }

    [Fact]
    public async Task A_large_file_is_split_by_row_group()
    {
        using var folder = TempTable.Empty();
        await using (var file = File.Create(Path.Combine(folder.Path, "big.parquet")))
        {
            await WriteRowGroupsAsync(file, groups: 5, rowsPerGroup: 1000);
        }

        var storage = new LocalLakeStorage(folder.Path);
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        var partitions = await WorkPartitioner.PlanAsync(storage, table.Files, new PartitioningOptions { MaxRows = 2000 });

        Assert.Equal([2, 2, 1], partitions.Select(p => p.Items.Count));
        Assert.Equal([0, 1, 2, 3, 4], partitions.SelectMany(p => p.Items).SelectMany(i => i.RowGroups!));
        var rows = await ReadAsync(storage, table, partitions);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"id={i}").Order(StringComparer.Ordinal), rows);
    }

    [Fact]
    public async Task A_row_group_larger_than_a_partition_is_split_by_rows_and_every_row_is_read_once()
    {
        using var folder = TempTable.Empty();
        await using (var file = File.Create(Path.Combine(folder.Path, "one-group.parquet")))
        {
            await WriteRowGroupsAsync(file, groups: 1, rowsPerGroup: 20_000);
        }

        var storage = new LocalLakeStorage(folder.Path);
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        var partitions = await WorkPartitioner.PlanAsync(storage, table.Files, new PartitioningOptions { MaxRows = 6_000 });

        Assert.Equal([5_000, 5_000, 5_000, 5_000], partitions.Select(p => p.Rows));
        Assert.Equal([0L, 5_000, 10_000, 15_000], partitions.Select(p => p.Items.Single().FirstRow!.Value));
        Assert.All(partitions, p => Assert.Equal([0], p.Items.Single().RowGroups!));
        var copy = JsonSerializer.Deserialize<WorkPartition>(JsonSerializer.Serialize(partitions[2]))!;
        Assert.Equal(Enumerable.Range(10_000, 5_000).Select(i => $"id={i}").Order(StringComparer.Ordinal), await ReadAsync(storage, table, [copy]));
        var rows = await ReadAsync(storage, table, partitions);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => $"id={i}").Order(StringComparer.Ordinal), rows);
    }

    [Fact]
    public async Task A_partition_survives_a_json_round_trip_as_a_durable_activity_input()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("table-with-dv-small"));
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);
        var partition = (await WorkPartitioner.PlanAsync(storage, table.Files, new PartitioningOptions())).Single();

        var copy = JsonSerializer.Deserialize<WorkPartition>(JsonSerializer.Serialize(partition))!;

        Assert.Equal(await ReadAsync(storage, table, [partition]), await ReadAsync(storage, table, [copy]));
        Assert.Equal(partition.Items.Single().File.DeletionVector, copy.Items.Single().File.DeletionVector);
    }

    private static async Task<List<string>> ReadAsync(ILakeStorage storage, LakeTable table, IEnumerable<WorkPartition> partitions)
    {
        var reader = new LakeTableReader(storage, table);
        var batches = new List<RowBatch>();
        foreach (var partition in partitions)
        {
            await foreach (var batch in reader.ReadAsync(partition))
            {
                batches.Add(batch);
            }
        }

        return RowText.Rows(batches);
    }

    private static async Task WriteRowGroupsAsync(Stream stream, int groups, int rowsPerGroup)
    {
        var id = new DataField<long>("id");
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id), stream);
        for (int g = 0; g < groups; g++)
        {
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync<long>(id, Enumerable.Range(g * rowsPerGroup, rowsPerGroup).Select(i => (long)i).ToArray());
        }
    }
}
