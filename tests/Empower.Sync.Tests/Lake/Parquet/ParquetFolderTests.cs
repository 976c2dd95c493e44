using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Lake;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>A folder of Parquet files with Hive-style partition folders, as Spark writes without Delta.</summary>
public sealed class ParquetFolderTests
{
    [Fact]
    public async Task Hive_partition_folders_become_typed_columns_and_marker_files_are_skipped()
    {
        using var folder = TempTable.Empty();
        await WriteAsync(folder.File("region=EU/year=2024/part-0.parquet"), [1, 2]);
        await WriteAsync(folder.File("region=US/year=2025/part-0.parquet"), [3]);
        await WriteAsync(folder.File("region=__HIVE_DEFAULT_PARTITION__/year=2025/part-0.parquet"), [4]);
        await WriteAsync(folder.File("_temporary/part-9.parquet"), [99]);
        File.WriteAllText(folder.File("_SUCCESS"), "");
        var storage = new LocalLakeStorage(folder.Path);

        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);
        var rows = RowText.Rows(await TestTables.ReadAllAsync(storage, table));

        Assert.Equal(LakeSourceFormat.Parquet, table.Format);
        Assert.Equal(["region", "year"], table.PartitionColumns);
        Assert.Equal(LakeColumnType.Integer, table.Columns.Single(c => c.Name == "year").Type);
        Assert.Equal(LakeColumnType.String, table.Columns.Single(c => c.Name == "region").Type);
        Assert.Equal(
            ["id=1 | region=\"EU\" | year=2024", "id=2 | region=\"EU\" | year=2024", "id=3 | region=\"US\" | year=2025", "id=4 | region=null | year=2025"],
            rows);
    }

    [Fact]
    public async Task Time_travel_on_a_parquet_folder_is_refused()
    {
        using var folder = TempTable.Empty();
        await WriteAsync(folder.File("part-0.parquet"), [1]);

        var ex = await Assert.ThrowsAsync<Sync.Lake.LakeFormatException>(() =>
            LakeTableOpener.OpenAsync(new LocalLakeStorage(folder.Path), new TableRequest(Version: 1)));

        Assert.Equal(Sync.Lake.LakeErrorKind.NotADeltaTable, ex.Kind);
    }

    private static async Task WriteAsync(string path, long[] ids)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var id = new DataField<long>("id");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id), stream);
        using var rowGroup = writer.CreateRowGroup();
        await rowGroup.WriteAsync<long>(id, ids);
    }
}
