using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>Values from the standalone Parquet files, against what their README (DuckDB, hyparquet) says they hold.</summary>
public sealed class ParquetValueTests
{
    private static readonly LocalLakeStorage Storage = new(Path.Combine(RepositoryRoot.TestData, "parquet"));

    private static async Task<List<RowBatch>> ReadAsync(string file) =>
        await TestTables.ReadAllAsync(Storage, await LakeTableOpener.OpenAsync(Storage, new TableRequest(File: file)));

    private static List<object?> Column(List<RowBatch> batches, string name) =>
        batches.SelectMany(b => Enumerable.Range(0, b.RowCount).Select(r => b[name].GetValue(r))).ToList();

    [Fact]
    public async Task Nested_lists_become_json_with_inner_nulls()
    {
        var rows = await ReadAsync("nested_lists.snappy.parquet");

        Assert.Equal(
            ["[[[\"a\",\"b\"],[\"c\"]],[null,[\"d\"]]]", "[[[\"a\",\"b\"],[\"c\",\"d\"]],[null,[\"e\"]]]",
                "[[[\"a\",\"b\"],[\"c\",\"d\"],[\"e\"]],[null,[\"f\"]]]"],
            Column(rows, "a"));
        Assert.Equal([1, 1, 1], Column(rows, "b"));
    }

    [Fact]
    public async Task Maps_and_deep_nesting_keep_nulls_at_every_level()
    {
        var rows = await ReadAsync("nullable.impala.parquet");

        var intMap = Column(rows, "int_map");
        Assert.Equal("{\"k1\":1,\"k2\":100}", intMap[0]);
        Assert.Contains(null, intMap);
        Assert.Contains("{}", intMap);
        Assert.Equal("[1,2,3]", Column(rows, "int_array")[0]);
        Assert.Contains("[]", Column(rows, "int_array"));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], Column(rows, "id"));
    }

    [Fact]
    public async Task Codecs_read_the_same_rows()
    {
        var brotli = RowText.Rows(await ReadAsync("brotli_compressed.parquet"));
        var lz4Raw = RowText.Rows(await ReadAsync("lz4_raw_compressed.parquet"));

        Assert.Equal(4, brotli.Count);
        Assert.Equal(brotli, lz4Raw);
        // c1 is BYTE_ARRAY without a string annotation, so it reads as binary ("abc" = YWJj).
        Assert.Contains("c0=1593604800 | c1=YWJj | v11=42", brotli);
        Assert.Contains("c0=1593604801 | c1=YWJj | v11=42.125", brotli);
    }

    [Theory]
    [InlineData("fixed_length_decimal.parquet")]
    [InlineData("int32_decimal.parquet")]
    [InlineData("int64_decimal.parquet")]
    public async Task Decimals_in_every_physical_storage(string file)
    {
        var values = Column(await ReadAsync(file), "value");

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (object?)(decimal)i), values.Select(v => (object?)decimal.Round((decimal)v!, 2)));
    }

    [Fact]
    public async Task Int96_timestamps_from_impala_are_utc()
    {
        var values = Column(await ReadAsync("alltypes_plain.parquet"), "timestamp_col");

        Assert.Contains(new DateTime(2009, 3, 1, 0, 0, 0, DateTimeKind.Utc), values.Cast<DateTime>());
        Assert.All(values.Cast<DateTime>(), t => Assert.Equal(DateTimeKind.Utc, t.Kind));
    }

    [Fact]
    public async Task Several_row_groups_are_separate_batches_with_file_row_indexes()
    {
        var batches = await ReadAsync("sort_columns.parquet");

        Assert.Equal(2, batches.Count);
        Assert.Equal([0L, 1L, 2L], batches[0].RowIndexes);
        Assert.Equal([3L, 4L, 5L], batches[1].RowIndexes);
        Assert.Equal([null, 2L, 1L, null, 2L, 1L], Column(batches, "a"));
    }

    [Fact]
    public async Task Struct_leaves_are_flattened_with_dotted_names()
    {
        var rows = await ReadAsync("nulls.snappy.parquet");

        Assert.Equal(["b_struct.b_c_int"], rows[0].Schema.Select(c => c.Name));
        Assert.All(Column(rows, "b_struct.b_c_int"), Assert.Null);
    }

    [Fact]
    public async Task Byte_stream_split_floats_under_zstd()
    {
        var rows = await ReadAsync("byte_stream_split.zstd.parquet");

        Assert.Equal(1.7640524f, (float)Column(rows, "f32")[0]!);
        Assert.Equal(-1.3065268517353166, (double)Column(rows, "f64")[0]!);
    }
}
