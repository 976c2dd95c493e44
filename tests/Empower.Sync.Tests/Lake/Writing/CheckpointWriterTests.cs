using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Delta.Log;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Writing;

/// <summary>
/// Checkpoints of the tables Empower writes: every tenth version gets one, the hint points at it, and the table read
/// from it alone (the commits before it deleted, as log cleanup does) is the table read from its commits.
/// </summary>
public sealed class CheckpointWriterTests
{
    private static readonly LakeSchema Schema = new([new LakeField("id", LakeDataType.Primitive(LakeTypeKind.Long)),
        new LakeField("name", LakeDataType.Primitive(LakeTypeKind.String))]);

    private static async Task<DeltaAppendWriter> CommitAsync(ILakeStorage storage, int commits, Dictionary<string, string>? properties = null)
    {
        var writer = new DeltaAppendWriter(storage, Schema, TimeProvider.System);
        for (int v = 0; v < commits; v++)
        {
            var file = await writer.WriteFileAsync($"part-{v:D3}.snappy.parquet", [[(long)v, $"row {v}"], [(long)v + 100, null]]);
            // Each commit removes the previous one's file but keeps the first: the checkpoint must drop what was removed.
            string[] removed = v >= 2 ? [$"part-{v - 1:D3}.snappy.parquet"] : [];
            var txn = new JsonObject { ["txn"] = new JsonObject { ["appId"] = "empower-test", ["version"] = v, ["lastUpdated"] = 1_700_000_000_000L + v } };
            Assert.True(await writer.TryCommitAsync(v, [file], removed, "WRITE", actions: [txn], configuration: properties));
        }

        return writer;
    }

    [Fact]
    public async Task Version_ten_gets_a_checkpoint_that_alone_rebuilds_the_table_with_its_files_statistics_and_transactions()
    {
        using var temp = TempTable.Empty();
        var storage = new LocalLakeStorage(temp.Path);
        await CommitAsync(storage, 12, new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "true" });
        var before = await (await DeltaTable.OpenAsync(storage, CancellationToken.None)).SnapshotAsync();

        Assert.True(File.Exists(temp.File("_delta_log/00000000000000000010.checkpoint.parquet")));
        Assert.False(File.Exists(temp.File("_delta_log/00000000000000000000.checkpoint.parquet")));
        Assert.Equal(10, (await LastCheckpoint.TryReadAsync(storage, CancellationToken.None))!.Version);

        for (int v = 0; v <= 10; v++)
        {
            File.Delete(temp.File($"_delta_log/{v:D20}.json"));
        }

        var after = await (await DeltaTable.OpenAsync(storage, CancellationToken.None)).SnapshotAsync();
        Assert.Equal(11, after.Version);
        Assert.Equal(before.Files.Select(f => (f.Path, f.Size, f.Stats)).Order(), after.Files.Select(f => (f.Path, f.Size, f.Stats)).Order());
        Assert.Equal(["part-000.snappy.parquet", "part-011.snappy.parquet"], after.Files.Select(f => f.Path).Order());
        Assert.Equal(before.Metadata.SchemaString, after.Metadata.SchemaString);
        Assert.Equal(before.Metadata.Id, after.Metadata.Id);
        Assert.Equal("true", after.Metadata.Property("delta.enableChangeDataFeed"));
        Assert.Equal((1, 4), (after.Protocol.MinReaderVersion, after.Protocol.MinWriterVersion));
        Assert.Equal(11, after.Transactions["empower-test"].Version);
        Assert.Equal(10, (await (await DeltaTable.OpenAsync(storage, CancellationToken.None)).SnapshotAsync(10)).Transactions["empower-test"].Version);

        var rows = await TestTables.ReadAllAsync(storage, await LakeTableOpener.OpenAsync(storage, TableRequest.Latest));
        Assert.Equal(4, rows.Sum(b => b.RowCount));
    }

    [Fact]
    public async Task The_table_property_sets_the_interval()
    {
        using var temp = TempTable.Empty();
        var storage = new LocalLakeStorage(temp.Path);
        await CommitAsync(storage, 7, new Dictionary<string, string> { ["delta.checkpointInterval"] = "3" });

        Assert.Equal(["00000000000000000003.checkpoint.parquet", "00000000000000000006.checkpoint.parquet"],
            Directory.GetFiles(temp.File("_delta_log"), "*.checkpoint.parquet").Select(Path.GetFileName).Order());
        Assert.Equal(6, (await LastCheckpoint.TryReadAsync(storage, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task DuckDB_reads_the_checkpoint_as_Spark_lays_it_out_one_action_per_row_in_struct_columns()
    {
        using var temp = TempTable.Empty();
        var storage = new LocalLakeStorage(temp.Path);
        await CommitAsync(storage, 11);

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        string file = temp.File("_delta_log/00000000000000000010.checkpoint.parquet").Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"""
            SELECT count(*) FILTER (WHERE add IS NOT NULL),
                   string_agg(add.path, ',' ORDER BY add.path),
                   max(add.stats) FILTER (WHERE add.path = 'part-010.snappy.parquet'),
                   max(protocol.minReaderVersion), max(protocol.minWriterVersion),
                   max(metaData.format.provider), max(metaData.schemaString),
                   max(txn.appId), max(txn.version),
                   count(*) FILTER (WHERE (add IS NOT NULL)::int + (txn IS NOT NULL)::int + (metaData IS NOT NULL)::int + (protocol IS NOT NULL)::int <> 1)
            FROM read_parquet('{file}')
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(2L, reader.GetInt64(0));
        Assert.Equal("part-000.snappy.parquet,part-010.snappy.parquet", reader.GetString(1));
        Assert.Equal("""{"numRecords":2,"minValues":{"id":10,"name":"row 10"},"maxValues":{"id":110,"name":"row 10"},"nullCount":{"id":0,"name":1}}""",
            reader.GetString(2));
        Assert.Equal(1, reader.GetInt32(3));
        Assert.Equal(2, reader.GetInt32(4));
        Assert.Equal("parquet", reader.GetString(5));
        Assert.Contains("\"name\":\"id\"", reader.GetString(6), StringComparison.Ordinal);
        Assert.Equal("empower-test", reader.GetString(7));
        Assert.Equal(10L, reader.GetInt64(8));
        Assert.Equal(0L, reader.GetInt64(9));
    }
}
