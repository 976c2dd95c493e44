using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Delta;

/// <summary>Changes between versions: added and removed files, and Change Data Feed rows.</summary>
public sealed class ChangeReadTests
{
    [Theory]
    [InlineData("cdf-table", 0, 3)]
    [InlineData("cdf-table-with-cdc-and-dvs", 0, 25)]
    [InlineData("cdf-table-with-cdc-and-dvs", 5, 18)]
    public async Task Change_rows_account_for_the_difference_between_two_versions(string name, long from, long to)
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath(name));
        var log = await DeltaTable.OpenAsync(storage, CancellationToken.None);
        var before = await log.SnapshotAsync(from);
        var after = await log.SnapshotAsync(to);

        var changes = await ReadChangesAsync(storage, log, from, to);

        var byType = changes.GroupBy(c => c.Type).ToDictionary(g => g.Key, g => g.Count());
        long rowsBefore = await TableStatistics.CountRowsAsync(storage, DeltaTableSource.From(before));
        long rowsAfter = await TableStatistics.CountRowsAsync(storage, DeltaTableSource.From(after));
        Assert.Equal(rowsAfter - rowsBefore, byType.GetValueOrDefault("insert") - byType.GetValueOrDefault("delete"));
        Assert.Equal(byType.GetValueOrDefault("update_preimage"), byType.GetValueOrDefault("update_postimage"));
        Assert.All(changes, c => Assert.InRange(c.Version, from + 1, to));
    }

    [Fact]
    public async Task Cdf_table_reports_its_updates_and_delete_by_version()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("cdf-table"));
        var log = await DeltaTable.OpenAsync(storage, CancellationToken.None);

        var versions = await log.ChangesAsync(0);
        var changes = await ReadChangesAsync(storage, log, 0, 3);

        Assert.Equal(["UPDATE", "UPDATE", "DELETE"], versions.Select(v => v.Operation));
        Assert.Equal(13, versions.Sum(v => v.ChangeData.Count));
        Assert.Equal(["update_postimage", "update_preimage"], changes.Where(c => c.Version == 1).Select(c => c.Type).Distinct().Order());
        Assert.Equal(["delete"], changes.Where(c => c.Version == 3).Select(c => c.Type).Distinct());
    }

    [Fact]
    public async Task Appends_without_change_data_read_as_inserts()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("basic_partitioned"));
        var log = await DeltaTable.OpenAsync(storage, CancellationToken.None);

        var versions = await log.ChangesAsync(0);
        var changes = await ReadChangesAsync(storage, log, 0, 1);

        Assert.True(versions.Single().IsAppendOnly);
        Assert.Equal(3, changes.Count);
        Assert.All(changes, c => Assert.Equal(("insert", 1L), (c.Type, c.Version)));
    }

    private static async Task<List<(string Type, long Version)>> ReadChangesAsync(ILakeStorage storage, DeltaTable log, long from, long to)
    {
        var snapshot = await log.SnapshotAsync(to);
        var files = DeltaTableSource.ChangeFiles(await log.ChangesAsync(from, to), snapshot.Schema);
        var table = DeltaTableSource.From(snapshot) with { Files = files };
        var reader = new LakeTableReader(storage, table, includeChangeColumns: true);
        var changes = new List<(string, long)>();
        await foreach (RowBatch batch in reader.ReadAllAsync())
        {
            for (int row = 0; row < batch.RowCount; row++)
            {
                changes.Add(((string)batch[ChangeColumns.ChangeType].GetValue(row)!, (long)batch[ChangeColumns.CommitVersion].GetValue(row)!));
            }
        }

        return changes;
    }
}
