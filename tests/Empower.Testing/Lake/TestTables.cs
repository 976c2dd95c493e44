using Empower.Sync.Lake;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;

namespace Empower.Testing.Lake;

/// <summary>The Delta tables and Parquet files of <c>tests/testdata</c> with the row counts its README states.</summary>
public static class TestTables
{
    /// <summary>Table → expected rows at the latest version (testdata README, "Tables at a glance").</summary>
    public static readonly IReadOnlyDictionary<string, long> ExpectedRows = new Dictionary<string, long>
    {
        ["simple_table"] = 3,
        ["basic_partitioned"] = 6,
        ["data-reader-partition-values"] = 3,
        ["basic-with-inserts-deletes-checkpoint"] = 41,
        ["multi-part-checkpoint"] = 31,
        ["repartitioned"] = 10,
        ["cdf-table"] = 9,
        ["cdf-table-with-cdc-and-dvs"] = 5,
        ["table-with-dv-small"] = 8,
        ["dv-partitioned-with-checkpoint"] = 35,
        ["table-with-columnmapping-mode-name"] = 6,
        ["table-with-columnmapping-mode-id"] = 6,
        ["table_with_column_mapping"] = 5,
        ["parquet-all-types"] = 200,
        ["data-reader-array-complex-objects"] = 10,
        ["decimal-various-scale-precision"] = 3,
        ["kernel-timestamp-INT96"] = 5,
        ["kernel-timestamp-TIMESTAMP_MICROS"] = 5,
        ["data-reader-timestamp_ntz"] = 9,
        ["time-travel-schema-changes-b"] = 20,
    };

    /// <summary>Zone-less timestamp partition values are in the writer's session zone; only this table was not written in UTC.</summary>
    public static LakeReadOptions ReadOptionsFor(string table) => new()
    {
        PartitionTimeZone = table == "data-reader-partition-values" ? "America/Los_Angeles" : "UTC",
    };

    public static string DeltaPath(string table) => Path.Combine(RepositoryRoot.TestData, "delta", table);

    public static string ExpectedPath(string table) => Path.Combine(RepositoryRoot.TestData, "delta-expected", table);

    public static string ParquetPath(string file) => Path.Combine(RepositoryRoot.TestData, "parquet", file);

    public static IEnumerable<string> WithExpectedSnapshot() =>
        Directory.GetDirectories(Path.Combine(RepositoryRoot.TestData, "delta-expected")).Select(Path.GetFileName).Order()!;

    internal static async Task<List<RowBatch>> ReadAllAsync(ILakeStorage storage, LakeTable table, LakeReadOptions? options = null)
    {
        var batches = new List<RowBatch>();
        await foreach (var batch in new LakeTableReader(storage, table, options).ReadAllAsync())
        {
            batches.Add(batch);
        }

        return batches;
    }
}
