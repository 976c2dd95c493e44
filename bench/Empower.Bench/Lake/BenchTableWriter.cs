using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Empower.Bench.Lake;

/// <summary>
/// Writes the benchmark's Delta table: 20 columns (6 strings, 4 decimals, 3 timestamps, 4 ints, 3 longs), snappy,
/// 1,000,000 rows per file in row groups of 250,000, with a one-commit log.
/// </summary>
public static class BenchTableWriter
{
    public const int RowsPerFile = 1_000_000;
    public const int RowsPerGroup = 250_000;

    public static readonly ParquetSchema Schema = new(
        [
            .. Enumerable.Range(0, 6).Select(i => (Field)new DataField<string>($"text_{i}", true)),
            .. Enumerable.Range(0, 4).Select(i => (Field)new DecimalDataField($"amount_{i}", 18, 4, isNullable: true)),
            .. Enumerable.Range(0, 3).Select(i => (Field)new DateTimeDataField($"time_{i}", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true)),
            .. Enumerable.Range(0, 4).Select(i => (Field)new DataField<int>($"int_{i}", true)),
            .. Enumerable.Range(0, 3).Select(i => (Field)new DataField<long>($"long_{i}", true)),
        ]);

    public static async Task EnsureAsync(string folder, long rows)
    {
        if (File.Exists(Path.Combine(folder, "_delta_log", "00000000000000000000.json")))
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(folder, "_delta_log"));
        var adds = new List<string>();
        for (long start = 0, file = 0; start < rows; start += RowsPerFile, file++)
        {
            string name = $"part-{file:D5}.snappy.parquet";
            int count = (int)Math.Min(RowsPerFile, rows - start);
            await WriteFileAsync(Path.Combine(folder, name), start, count);
            var size = new FileInfo(Path.Combine(folder, name)).Length;
            adds.Add(JsonSerializer.Serialize(new { add = new { path = name, partitionValues = new Dictionary<string, string>(), size, modificationTime = 0, dataChange = true, stats = $"{{\"numRecords\":{count}}}" } }));
        }

        var fields = Schema.DataFields.Select(f => new { name = f.Name, type = DeltaType(f), nullable = true, metadata = new { } });
        string schema = JsonSerializer.Serialize(new { type = "struct", fields });
        var log = new StringBuilder();
        log.AppendLine(JsonSerializer.Serialize(new { protocol = new { minReaderVersion = 1, minWriterVersion = 2 } }));
        log.AppendLine(JsonSerializer.Serialize(new { metaData = new { id = "bench", format = new { provider = "parquet", options = new { } }, schemaString = schema, partitionColumns = Array.Empty<string>(), configuration = new { } } }));
        adds.ForEach(a => log.AppendLine(a));
        await File.WriteAllTextAsync(Path.Combine(folder, "_delta_log", "00000000000000000000.json"), log.ToString());
    }

    private static string DeltaType(DataField field) => field switch
    {
        DecimalDataField d => $"decimal({d.Precision},{d.Scale})",
        DateTimeDataField => "timestamp",
        _ when field.ClrType == typeof(int) => "integer",
        _ when field.ClrType == typeof(long) => "long",
        _ => "string",
    };

    private static async Task WriteFileAsync(string path, long firstRow, int count)
    {
        string[] words = Enumerable.Range(0, 5000).Select(i => $"customer-{i:D5}-{(char)('a' + (i % 26))}{i * 7919 % 100000}").ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
        var fields = Schema.DataFields;
        for (int offset = 0; offset < count; offset += RowsPerGroup)
        {
            int n = Math.Min(RowsPerGroup, count - offset);
            long first = firstRow + offset;
            using var group = writer.CreateRowGroup();
            int f = 0;
            for (int i = 0; i < 6; i++, f++)
            {
                await group.WriteAsync(fields[f], Fill(n, r => (first + r) % 97 == i ? null : words[(int)((first + r) * (i + 3) % words.Length)]));
            }

            for (int i = 0; i < 4; i++, f++)
            {
                await group.WriteAsync<decimal>(fields[f], Fill<decimal>(n, r => (first + r) % 89 == i ? null : ((first + r) * (i + 1) % 1_000_000) / 100m));
            }

            for (int i = 0; i < 3; i++, f++)
            {
                var epoch = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                await group.WriteAsync<DateTime>(fields[f], Fill<DateTime>(n, r => (first + r) % 83 == i ? null : epoch.AddSeconds((first + r) * (i + 1))));
            }

            for (int i = 0; i < 4; i++, f++)
            {
                await group.WriteAsync<int>(fields[f], Fill<int>(n, r => (first + r) % 79 == i ? null : (int)((first + r) * (i + 1) % int.MaxValue)));
            }

            for (int i = 0; i < 3; i++, f++)
            {
                await group.WriteAsync<long>(fields[f], Fill<long>(n, r => (first + r) % 73 == i ? null : (first + r) * 1_000_003L * (i + 1)));
            }
        }
    }

    private static string?[] Fill(int n, Func<int, string?> value)
    {
        var values = new string?[n];
        for (int r = 0; r < n; r++)
        {
            values[r] = value(r);
        }

        return values;
    }

    private static T?[] Fill<T>(int n, Func<int, T?> value)
        where T : struct
    {
        var values = new T?[n];
        for (int r = 0; r < n; r++)
        {
            values[r] = value(r);
        }

        return values;
    }
}
