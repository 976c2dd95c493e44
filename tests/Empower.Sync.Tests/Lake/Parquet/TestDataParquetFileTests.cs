using Empower.Sync.Lake;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>The standalone Parquet files of tests/testdata: codecs, encodings and physical types.</summary>
public sealed class TestDataParquetFileTests
{
    private static readonly Dictionary<string, long> ExpectedRows = new()
    {
        ["alltypes_plain.parquet"] = 8,
        ["alltypes_plain.snappy.parquet"] = 2,
        ["brotli_compressed.parquet"] = 4,
        ["byte_stream_split.zstd.parquet"] = 300,
        ["datapage_v2.snappy.parquet"] = 5,
        ["fixed_length_decimal.parquet"] = 24,
        ["hadoop_lz4_compressed.parquet"] = 4,
        ["int32_decimal.parquet"] = 24,
        ["int64_decimal.parquet"] = 24,
        ["int96_from_spark.parquet"] = 6,
        ["lz4_raw_compressed.parquet"] = 4,
        ["nested_lists.snappy.parquet"] = 3,
        ["nullable.impala.parquet"] = 7,
        ["nulls.snappy.parquet"] = 8,
        ["rle_boolean_encoding.parquet"] = 68,
        ["sort_columns.parquet"] = 6,
        ["spark-decimal-dictionaries-v2.snappy.parquet"] = 1_000_000,
    };

    public static TheoryData<string> Files => new(ExpectedRows.Keys.Order());

    private static readonly LocalLakeStorage Storage = new(Path.Combine(RepositoryRoot.TestData, "parquet"));

    [Fact]
    public void Every_file_in_the_folder_is_listed_here()
    {
        Assert.Equal(ExpectedRows.Keys.Order(), Directory.GetFiles(Path.Combine(RepositoryRoot.TestData, "parquet")).Select(Path.GetFileName).Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Footer_row_count_matches(string file)
    {
        var table = await LakeTableOpener.OpenAsync(Storage, new TableRequest(File: file));

        Assert.Equal(LakeSourceFormat.Parquet, table.Format);
        Assert.Equal(ExpectedRows[file], await TableStatistics.CountRowsAsync(Storage, table));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Rows_read_or_a_clear_error_names_the_file_and_column(string file)
    {
        var table = await LakeTableOpener.OpenAsync(Storage, new TableRequest(File: file));
        try
        {
            var batches = await TestTables.ReadAllAsync(Storage, table);
            Assert.Equal(ExpectedRows[file], batches.Sum(b => b.RowCount));
            Assert.DoesNotContain(file, Unreadable.Keys);
        }
        catch (LakeFormatException ex)
        {
            Assert.True(Unreadable.TryGetValue(file, out var because), $"{file} should be readable: {ex.Message}");
            Assert.Contains(file, ex.Message);
            Assert.Contains(because, ex.Message);
        }
    }

    /// <summary>
    /// Files the reader cannot decode, and what the error must say (see docs/lake.md). Plain columns are read with
    /// ParquetSharp, which decodes the Hadoop LZ4 codec, these GZIP streams and RLE booleans in data page v2; the
    /// nested column of datapage_v2 still goes through Parquet.Net.
    /// </summary>
    private static readonly Dictionary<string, string> Unreadable = new()
    {
        ["datapage_v2.snappy.parquet"] = "column 'e'",
        ["int96_from_spark.parquet"] = "column 'a'",
    };
}
