using System.Text.Json;
using Empower.Sync.Lake;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Delta;

/// <summary>Log replay: versions, checkpoints, time travel, and the README's row counts by version.</summary>
public sealed class LogReplayTests
{
    public static TheoryData<string, long[]> RowsByVersion => new()
    {
        { "simple_table", [5, 20, 5, 5, 3] },
        { "basic_partitioned", [3, 6] },
        { "basic-with-inserts-deletes-checkpoint", [10, 20, 30, 40, 50, 45, 40, 35, 30, 25, 35, 45, 55, 41] },
        { "multi-part-checkpoint", [1, 31] },
        { "cdf-table", [10, 10, 10, 9] },
        { "table-with-dv-small", [10, 8] },
        { "dv-partitioned-with-checkpoint", [50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35] },
        { "cdf-table-with-cdc-and-dvs", [1, 5, 4, 4, 5, 3, 3, 4, 5, 5, 4, 4, 4, 4, 6, 8, 6, 6, 8, 8, 8, 8, 8, 8, 2, 5] },
        { "data-reader-timestamp_ntz", [0, 9] },
        { "time-travel-schema-changes-b", [10, 20] },
    };

    [Theory]
    [MemberData(nameof(RowsByVersion))]
    public async Task Every_version_reads_the_rows_it_had(string name, long[] rows)
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath(name));
        for (long version = 0; version < rows.Length; version++)
        {
            var table = await LakeTableOpener.OpenAsync(storage, new TableRequest(Version: version));
            var read = await TestTables.ReadAllAsync(storage, table);

            Assert.Equal(version, table.Version);
            Assert.Equal(rows[version], await TableStatistics.CountRowsAsync(storage, table));
            Assert.Equal(rows[version], read.Sum(b => b.RowCount));
        }
    }

    [Fact]
    public async Task An_uncommitted_file_in_the_tmp_folder_is_not_a_version()
    {
        var table = await DeltaTable.OpenAsync(new LocalLakeStorage(TestTables.DeltaPath("simple_table")), CancellationToken.None);

        Assert.Equal(4, table.LatestVersion);
    }

    [Fact]
    public async Task Checkpoint_and_json_only_replay_give_the_same_files()
    {
        using var copy = TempTable.Copy("basic-with-inserts-deletes-checkpoint");
        var withCheckpoint = await (await DeltaTable.OpenAsync(new LocalLakeStorage(copy.Path), CancellationToken.None)).SnapshotAsync();
        File.Delete(copy.File("_delta_log/00000000000000000010.checkpoint.parquet"));
        File.Delete(copy.File("_delta_log/_last_checkpoint"));

        var jsonOnly = await (await DeltaTable.OpenAsync(new LocalLakeStorage(copy.Path), CancellationToken.None)).SnapshotAsync();

        Assert.Equal(7, withCheckpoint.Files.Count);
        Assert.Equal(withCheckpoint.Files.Select(f => f.Path), jsonOnly.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task A_multi_part_checkpoint_alone_rebuilds_the_table()
    {
        using var copy = TempTable.Copy("multi-part-checkpoint");
        File.Delete(copy.File("_delta_log/00000000000000000000.json"));
        var storage = new LocalLakeStorage(copy.Path);

        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        Assert.Equal(31, await TableStatistics.CountRowsAsync(storage, table));
        Assert.Equal(10, table.Files.Count);
    }

    [Fact]
    public async Task A_table_whose_early_log_is_gone_starts_from_its_checkpoint_and_refuses_older_versions()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("repartitioned"));
        var latest = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        var ex = await Assert.ThrowsAsync<LakeFormatException>(() => LakeTableOpener.OpenAsync(storage, new TableRequest(Version: 5)));

        Assert.Equal(["col1"], latest.PartitionColumns);
        Assert.Equal(LakeErrorKind.MissingCommit, ex.Kind);
        Assert.Contains("Version 5", ex.Message);
        Assert.Contains("00000000000000000000.json", ex.Message);
    }

    [Fact]
    public async Task A_timestamp_selects_the_version_committed_at_or_before_it()
    {
        string path = TestTables.DeltaPath("simple_table");
        long v2Time = CommitTimestamp(path, 2);
        var storage = new LocalLakeStorage(path);

        var atV2 = await LakeTableOpener.OpenAsync(storage, new TableRequest(Timestamp: DateTimeOffset.FromUnixTimeMilliseconds(v2Time)));
        var justBefore = await LakeTableOpener.OpenAsync(storage, new TableRequest(Timestamp: DateTimeOffset.FromUnixTimeMilliseconds(v2Time - 1)));
        var tooEarly = await Assert.ThrowsAsync<LakeFormatException>(() =>
            LakeTableOpener.OpenAsync(storage, new TableRequest(Timestamp: DateTimeOffset.FromUnixTimeMilliseconds(CommitTimestamp(path, 0) - 1))));

        Assert.Equal(2, atV2.Version);
        Assert.Equal(1, justBefore.Version);
        Assert.Equal(LakeErrorKind.VersionNotFound, tooEarly.Kind);
    }

    [Fact]
    public async Task Schema_evolution_reads_older_files_with_the_new_column_null()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("time-travel-schema-changes-b"));
        var v0 = await LakeTableOpener.OpenAsync(storage, new TableRequest(Version: 0));
        var v1 = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        var rows = await TestTables.ReadAllAsync(storage, v1);

        Assert.Equal(["id"], v0.Columns.Select(c => c.Name));
        Assert.Equal(["id", "part"], v1.Columns.Select(c => c.Name));
        Assert.Equal(10, rows.Sum(b => Enumerable.Range(0, b.RowCount).Count(r => b["part"].IsNull(r))));
    }

    [Fact]
    public async Task Column_mapping_exposes_logical_names_and_partition_values_keyed_by_physical_name()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("table_with_column_mapping"));
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        var rows = RowText.Rows(await TestTables.ReadAllAsync(storage, table));

        Assert.Equal(["Company Very Short", "Super Name"], table.Columns.Select(c => c.Name).Order());
        Assert.Equal(5, rows.Count);
        Assert.DoesNotContain(rows, r => r.Contains("Company Very Short=null", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("Super Name=null", StringComparison.Ordinal));
    }

    private static long CommitTimestamp(string table, long version)
    {
        foreach (var line in File.ReadLines(Path.Combine(table, "_delta_log", $"{version:D20}.json")))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("commitInfo", out var info))
            {
                return info.GetProperty("timestamp").GetInt64();
            }
        }

        throw new InvalidOperationException("no commitInfo");
    }
}
