using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Lake;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>Plain columns are decoded a batch at a time: required and optional, every type, across batches and from a row inside a row group.</summary>
public sealed class BatchReadTests
{
    private const int Rows = 20_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_plain_type_reads_the_values_written_from_any_row_of_a_row_group(bool nullable)
    {
        using var folder = TempTable.Empty();
        var fields = new DataField[]
        {
            new DataField<int>("i", nullable), new DataField<long>("l", nullable), new DataField<bool>("b", nullable), new DataField<double>("d", nullable),
            new DecimalDataField("m", 18, 2, isNullable: nullable), new DataField<string>("s", nullable), new DataField<DateOnly>("day", nullable),
            new DateTimeDataField("t", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: nullable),
        };
        var epoch = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        bool IsNull(int row, int column) => nullable && (row + column) % 7 == 0;
        await using (var file = File.Create(Path.Combine(folder.Path, "types.parquet")))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, new ParquetOptions { UseDateOnlyTypeForDates = true }))
        {
            using var group = writer.CreateRowGroup();
            await WriteAsync<int>(group, fields[0], nullable, r => IsNull(r, 0) ? null : r);
            await WriteAsync<long>(group, fields[1], nullable, r => IsNull(r, 1) ? null : r * 1_000_003L);
            await WriteAsync<bool>(group, fields[2], nullable, r => IsNull(r, 2) ? null : r % 3 == 0);
            await WriteAsync<double>(group, fields[3], nullable, r => IsNull(r, 3) ? null : r / 4.0);
            await WriteAsync<decimal>(group, fields[4], nullable, r => IsNull(r, 4) ? null : r * 1.25m);
            await group.WriteAsync(fields[5], Enumerable.Range(0, Rows).Select(r => IsNull(r, 5) ? null : $"text {r}").ToArray());
            await WriteAsync<DateOnly>(group, fields[6], nullable, r => IsNull(r, 6) ? null : DateOnly.FromDateTime(epoch).AddDays(r));
            await WriteAsync<DateTime>(group, fields[7], nullable, r => IsNull(r, 7) ? null : epoch.AddSeconds(r));
        }

        var storage = new LocalLakeStorage(folder.Path);
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);
        var partitions = await WorkPartitioner.PlanAsync(storage, table.Files, new PartitioningOptions { MaxRows = 7_000 });
        Assert.True(partitions.Count > 1);

        int checkedRows = 0;
        var reader = new LakeTableReader(storage, table);
        foreach (var partition in partitions)
        {
            await foreach (var batch in reader.ReadAsync(partition))
            {
                Assert.InRange(batch.RowCount, 1, LakeTableReader.BatchRows);
                for (int i = 0; i < batch.RowCount; i++)
                {
                    int r = (int)batch.RowIndexes[i];
                    object?[] expected = [r, r * 1_000_003L, r % 3 == 0, r / 4.0, r * 1.25m, $"text {r}",
                        DateOnly.FromDateTime(epoch).AddDays(r), epoch.AddSeconds(r)];
                    for (int c = 0; c < expected.Length; c++)
                    {
                        Assert.Equal(IsNull(r, c) ? null : expected[c], batch.Columns[c].GetValue(i));
                    }

                    checkedRows++;
                }
            }
        }

        Assert.Equal(Rows, checkedRows);
    }

    private static async Task WriteAsync<T>(ParquetRowGroupWriter group, DataField field, bool nullable, Func<int, T?> value)
        where T : struct
    {
        var values = Enumerable.Range(0, Rows).Select(value).ToArray();
        if (nullable)
        {
            await group.WriteAsync<T>(field, values);
        }
        else
        {
            await group.WriteAsync<T>(field, values.Select(v => v!.Value).ToArray());
        }
    }
}
