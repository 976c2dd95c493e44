using System.Text;
using System.Text.Json;
using ParquetSharp;

namespace Empower.Bench.Lake;

/// <summary>
/// Writes the benchmark's Delta table: 20 nullable columns (6 strings, 4 decimals, 3 timestamps, 4 ints, 3 longs),
/// snappy, with a one-commit log. ParquetSharp writes it as Spark's parquet-mr does (dictionary encoding, data pages of
/// 1 MB), in chunks, so a row group of millions of rows costs the writer no more memory than a small one.
/// </summary>
public static class BenchTableWriter
{
    private const int Chunk = 100_000;

    private static readonly (string Name, string DeltaType)[] Fields =
    [
        .. Enumerable.Range(0, 6).Select(i => ($"text_{i}", "string")),
        .. Enumerable.Range(0, 4).Select(i => ($"amount_{i}", "decimal(18,4)")),
        .. Enumerable.Range(0, 3).Select(i => ($"time_{i}", "timestamp")),
        .. Enumerable.Range(0, 4).Select(i => ($"int_{i}", "integer")),
        .. Enumerable.Range(0, 3).Select(i => ($"long_{i}", "long")),
    ];

    private static readonly string[] Words = [.. Enumerable.Range(0, 5000).Select(i => $"customer-{i:D5}-{(char)('a' + (i % 26))}{i * 7919 % 100000}")];

    public static async Task EnsureAsync(string folder, long rows, int rowsPerFile, int rowsPerGroup)
    {
        if (File.Exists(Path.Combine(folder, "_delta_log", "00000000000000000000.json")))
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(folder, "_delta_log"));
        var adds = new List<string>();
        for (long start = 0, file = 0; start < rows; start += rowsPerFile, file++)
        {
            string name = $"part-{file:D5}.snappy.parquet";
            int count = (int)Math.Min(rowsPerFile, rows - start);
            WriteFile(Path.Combine(folder, name), start, count, rowsPerGroup);
            var size = new FileInfo(Path.Combine(folder, name)).Length;
            adds.Add(JsonSerializer.Serialize(new { add = new { path = name, partitionValues = new Dictionary<string, string>(), size, modificationTime = 0,
                dataChange = true, stats = $"{{\"numRecords\":{count}}}" } }));
        }

        var fields = Fields.Select(f => new { name = f.Name, type = f.DeltaType, nullable = true, metadata = new { } });
        string schema = JsonSerializer.Serialize(new { type = "struct", fields });
        var log = new StringBuilder();
        log.AppendLine(JsonSerializer.Serialize(new { protocol = new { minReaderVersion = 1, minWriterVersion = 2 } }));
        log.AppendLine(JsonSerializer.Serialize(new { metaData = new { id = "bench", format = new { provider = "parquet", options = new { } },
            schemaString = schema, partitionColumns = Array.Empty<string>(), configuration = new { } } }));
        adds.ForEach(a => log.AppendLine(a));
        await File.WriteAllTextAsync(Path.Combine(folder, "_delta_log", "00000000000000000000.json"), log.ToString());
    }

    private static void WriteFile(string path, long firstRow, int count, int rowsPerGroup)
    {
        Column[] columns =
        [
            .. Fields.Select(f => f.DeltaType switch
            {
                "string" => new Column<string>(f.Name),
                "decimal(18,4)" => new Column<decimal?>(f.Name, LogicalType.Decimal(18, 4)),
                "timestamp" => new Column<DateTime?>(f.Name, LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Micros)),
                "integer" => new Column<int?>(f.Name),
                _ => (Column)new Column<long?>(f.Name),
            }),
        ];
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).MaxRowGroupLength(rowsPerGroup).Build();
        using var writer = new ParquetFileWriter(path, columns, properties);
        var epoch = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int offset = 0; offset < count; offset += rowsPerGroup)
        {
            long first = firstRow + offset;
            int n = Math.Min(rowsPerGroup, count - offset);
            using var group = writer.AppendRowGroup();
            for (int i = 0; i < 6; i++)
            {
                int column = i;
                Write(group, first, n, r => r % 97 == column ? null : Words[(int)(r * (column + 3) % Words.Length)]);
            }

            for (int i = 0; i < 4; i++)
            {
                int column = i;
                Write<decimal?>(group, first, n, r => r % 89 == column ? null : r * (column + 1) % 1_000_000 / 100m);
            }

            for (int i = 0; i < 3; i++)
            {
                int column = i;
                Write<DateTime?>(group, first, n, r => r % 83 == column ? null : epoch.AddSeconds(r * (column + 1)));
            }

            for (int i = 0; i < 4; i++)
            {
                int column = i;
                Write<int?>(group, first, n, r => r % 79 == column ? null : (int)(r * (column + 1) % int.MaxValue));
            }

            for (int i = 0; i < 3; i++)
            {
                int column = i;
                Write<long?>(group, first, n, r => r % 73 == column ? null : r * 1_000_003L * (column + 1));
            }
        }

        writer.Close();
    }

    private static void Write<T>(RowGroupWriter group, long first, int n, Func<long, T> value)
    {
        using var writer = group.NextColumn().LogicalWriter<T>();
        var buffer = new T[Math.Min(Chunk, n)];
        for (int done = 0; done < n; done += buffer.Length)
        {
            int size = Math.Min(buffer.Length, n - done);
            for (int r = 0; r < size; r++)
            {
                buffer[r] = value(first + done + r);
            }

            writer.WriteBatch(buffer, 0, size);
        }
    }
}
