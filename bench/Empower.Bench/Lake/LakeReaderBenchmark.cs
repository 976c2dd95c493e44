using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using DuckDB.NET.Data;
using ParquetSharp;

namespace Empower.Bench.Lake;

/// <summary>
/// Reads a generated 20-column Delta table four ways, each in a fresh process (so the peak working set belongs to that
/// read alone): DuckDB on one thread materialising every cell, ParquetSharp's raw batch API (the library Empower's
/// reader decodes with) with its defaults and again with the reader's properties (<see cref="ArrowAllocator"/>: the
/// system allocator with a fixed mmap threshold, 1 MB buffered reads), and Empower's reader (rows as the pipeline
/// consumes them: typed vectors, deletion vectors and partition values applied). All checksum every cell and must
/// agree. The tables: files of 1,000,000 rows in row groups of 250,000, and 5,000,000 rows in one row group.
/// </summary>
public static class LakeReaderBenchmark
{
    private const int BatchRows = 8_192;

    public static async Task<int> RunAsync(string[] args)
    {
        long[] sizes = Option(args, "--rows", "1000000,5000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long single = long.Parse(Option(args, "--single-group", "5000000"), CultureInfo.InvariantCulture);
        string data = Option(args, "--data", Path.Combine(Path.GetTempPath(), "empower-bench-v2"));
        Console.WriteLine($"Lake reader benchmark: 20 columns (6 string, 4 decimal(18,4), 3 timestamp, 4 int, 3 long), snappy, written as Spark writes (1 " +
            $"MB pages); {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"rows",12} {"row groups",14} {"DuckDB rows/s",14} {"raw rows/s",12} {"raw§ rows/s",12} {"reader rows/s",14} " +
            $"{"÷ DuckDB",9} {"÷ raw",7} {"÷ raw§",7} {"peak MiB D/raw/raw§/reader",27} {"live MiB",9}");
        var cases = sizes.Select(rows => (Rows: rows, PerFile: 1_000_000, PerGroup: 250_000))
            .Concat(single > 0 ? [(single, (int)single, (int)single)] : []);
        foreach (var (rows, perFile, perGroup) in cases)
        {
            string folder = Path.Combine(data, $"table-{rows}-{perGroup}");
            var generate = Stopwatch.StartNew();
            await BenchTableWriter.EnsureAsync(folder, rows, perFile, perGroup);
            if (generate.Elapsed > TimeSpan.FromSeconds(1))
            {
                Console.WriteLine($"  (generated {rows:N0} rows in {generate.Elapsed.TotalSeconds:F1} s)");
            }

            // The first pass warms the file cache; the best of the next two is reported.
            Measurement Best(string mode) => Enumerable.Range(0, 3).Select(_ => Child(mode, folder)).ToList().Skip(1).MaxBy(r => r.RowsPerSecond)!;
            var duck = Best("duckdb");
            var raw = Best("raw");
            var rawAsReader = Best("raw-as-reader");
            var reader = Best("reader");
            var live = Child("reader-live", folder);
            if (new[] { raw, rawAsReader, reader }.FirstOrDefault(m => m.Checksum != duck.Checksum || m.Rows != duck.Rows) is { } wrong)
            {
                Console.Error.WriteLine($"MISMATCH: DuckDB read {duck.Rows} rows (checksum {duck.Checksum}), raw {raw.Rows} ({raw.Checksum}), " +
                    $"raw§ {rawAsReader.Rows} ({rawAsReader.Checksum}), reader {reader.Rows} ({reader.Checksum}).");
                return 1;
            }

            string groups = perGroup >= rows ? "1" : $"{(rows + perGroup - 1) / perGroup} × {perGroup:N0}";
            string peaks = $"{Mib(duck.PeakBytes)}/{Mib(raw.PeakBytes)}/{Mib(rawAsReader.PeakBytes)}/{Mib(reader.PeakBytes)}";
            Console.WriteLine($"{rows,12:N0} {groups,14} {duck.RowsPerSecond,14:N0} {raw.RowsPerSecond,12:N0} {rawAsReader.RowsPerSecond,12:N0} " +
                $"{reader.RowsPerSecond,14:N0} {reader.RowsPerSecond / duck.RowsPerSecond,9:P0} {reader.RowsPerSecond / raw.RowsPerSecond,7:P0} " +
                $"{reader.RowsPerSecond / rawAsReader.RowsPerSecond,7:P0} {peaks,27} {Mib(live.PeakBytes),9}");
        }

        using var defaults = ReaderProperties.GetDefaultReaderProperties();
        Console.WriteLine($"raw = ParquetSharp's defaults ({MemoryPool.GetDefaultMemoryPool().BackendName}, {defaults.BufferSize / 1024} KB buffered " +
            "reads); raw§ = the same calls with the reader's properties (the system");
        Console.WriteLine("allocator, mmap threshold 64 KB, 1 MB buffered reads): ÷ raw§ is the reader's own cost, ÷ raw adds the " +
            "allocator's memory trade.");
        Console.WriteLine("Peak = the process's peak working set (VmHWM); live = the largest managed heap still referenced while a batch");
        Console.WriteLine("is held (a full GC after each batch), i.e. what the reader keeps.");
        Console.WriteLine("Goal: reader ≥ 50 % of DuckDB's single-thread rate and ≥ 90 % of the raw API's (÷ raw§ isolates the reader's " +
            "own cost); peak memory independent of table and row-group size.");
        return 0;
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture);

    public static async Task<int> RunChildAsync(string[] args)
    {
        string mode = args[0];
        string folder = args[1];
        var clock = Stopwatch.StartNew();
        long live = 0;
        var (rows, checksum) = mode switch
        {
            "raw" => ReadRaw(folder, asReader: false),
            "raw-as-reader" => ReadRaw(folder, asReader: true),
            "duckdb" => ReadWithDuckDb(folder),
            "reader-live" => await ReadWithReaderAsync(folder, () => live = Math.Max(live, GC.GetTotalMemory(forceFullCollection: true))),
            _ => await ReadWithReaderAsync(folder, null),
        };
        clock.Stop();
        Console.WriteLine(JsonSerializer.Serialize(new Measurement(rows, rows / clock.Elapsed.TotalSeconds, mode == "reader-live" ? live
            : PeakWorkingSet(), checksum)));
        return 0;
    }

    private static Measurement Child(string mode, string folder)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LakeReaderBenchmark).Assembly.Location);
        }

        foreach (var arg in new[] { "lake-reader-child", mode, folder })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return JsonSerializer.Deserialize<Measurement>(output.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException($"The {mode} measurement printed nothing.");
    }

    private static (long Rows, ulong Checksum) ReadRaw(string folder, bool asReader)
    {
        long rows = 0;
        var checksum = new Checksum();
        foreach (var path in Directory.GetFiles(folder, "*.parquet").Order())
        {
            using var properties = asReader ? ArrowAllocator.BatchReaderProperties() : ReaderProperties.GetDefaultReaderProperties();
            properties.EnableBufferedStream();

            using var file = new ParquetFileReader(path, properties);
            for (int g = 0; g < file.FileMetaData.NumRowGroups; g++)
            {
                using var group = file.RowGroup(g);
                for (int c = 0; c < group.MetaData.NumColumns; c++)
                {
                    using var column = group.Column(c);
                    switch (column.ColumnDescriptor.LogicalType)
                    {
                        case DecimalLogicalType: ReadColumn<decimal>(column, c, checksum); break;
                        case TimestampLogicalType: ReadColumn<DateTime>(column, c, checksum); break;
                        case IntLogicalType { BitWidth: 32 }: ReadColumn<int>(column, c, checksum); break;
                        case IntLogicalType: ReadColumn<long>(column, c, checksum); break;
                        case StringLogicalType: ReadStrings(column, c, checksum); break;
                        case var _ when column.ColumnDescriptor.PhysicalType == PhysicalType.Int32: ReadColumn<int>(column, c, checksum); break;
                        case var _ when column.ColumnDescriptor.PhysicalType == PhysicalType.Int64: ReadColumn<long>(column, c, checksum); break;
                        default: throw new InvalidOperationException($"Unexpected column {column.ColumnDescriptor.Name}.");
                    }
                }

                rows += group.MetaData.NumRows;
            }
        }

        return (rows, checksum.Value);
    }

    private static void ReadColumn<T>(ColumnReader column, int index, Checksum checksum)
        where T : struct
    {
        using var reader = column.LogicalReader<T?>();
        var buffer = new T?[BatchRows];
        while (reader.HasNext)
        {
            checksum.Add(index, buffer.AsSpan(0, reader.ReadBatch(buffer)));
        }
    }

    private static void ReadStrings(ColumnReader column, int index, Checksum checksum)
    {
        using var reader = column.LogicalReader<string?>();
        var buffer = new string?[BatchRows];
        while (reader.HasNext)
        {
            checksum.Add(index, buffer.AsSpan(0, reader.ReadBatch(buffer)));
        }
    }

    private static (long Rows, ulong Checksum) ReadWithDuckDb(string folder)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using (var threads = connection.CreateCommand())
        {
            threads.CommandText = "SET threads = 1";
            threads.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{Path.Combine(folder, "*.parquet").Replace("'", "''", StringComparison.Ordinal)}')";
        using var reader = command.ExecuteReader();
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType).ToArray();
        long rows = 0;
        var checksum = new Checksum();
        while (reader.Read())
        {
            for (int c = 0; c < types.Length; c++)
            {
                checksum.Add(c, reader.IsDBNull(c) ? null : types[c] switch
                {
                    var t when t == typeof(int) => (ulong)reader.GetInt32(c),
                    var t when t == typeof(long) => (ulong)reader.GetInt64(c),
                    var t when t == typeof(decimal) => (ulong)decimal.ToInt64(reader.GetDecimal(c) * 10_000m),
                    var t when t == typeof(DateTime) => (ulong)reader.GetDateTime(c).Ticks,
                    var t when t == typeof(DateTimeOffset) => (ulong)reader.GetFieldValue<DateTimeOffset>(c).UtcTicks,
                    _ => Checksum.Of(reader.GetString(c)),
                });
            }

            rows++;
        }

        return (rows, checksum.Value);
    }

    private static async Task<(long Rows, ulong Checksum)> ReadWithReaderAsync(string folder, Action? afterBatch)
    {
        var storage = new LocalLakeStorage(folder);
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);
        long rows = 0;
        var checksum = new Checksum();
        await foreach (var batch in new LakeTableReader(storage, table).ReadAllAsync())
        {
            for (int c = 0; c < batch.Columns.Count; c++)
            {
                switch (batch.Columns[c])
                {
                    case ValueVector<int> ints: checksum.Add(c, ints.Values); break;
                    case ValueVector<long> longs: checksum.Add(c, longs.Values); break;
                    case ValueVector<decimal> decimals: checksum.Add(c, decimals.Values); break;
                    case ValueVector<DateTime> times: checksum.Add(c, times.Values); break;
                    case ReferenceVector<string> strings: checksum.Add(c, strings.Values); break;
                    default: throw new InvalidOperationException($"Unexpected vector {batch.Columns[c].GetType().Name}.");
                }
            }

            rows += batch.RowCount;
            afterBatch?.Invoke();
        }

        return (rows, checksum.Value);
    }

    private static long PeakWorkingSet()
    {
        // VmHWM is the process's peak resident set on Linux; elsewhere the runtime's own figure.
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private sealed record Measurement(long Rows, double RowsPerSecond, long PeakBytes, ulong Checksum);

    /// <summary>An order-independent sum over every cell, so the readers prove they saw the same values.</summary>
    private sealed class Checksum
    {
        public ulong Value { get; private set; }

        public static ulong Of(string text) => (ulong)text.Length * 31 + text[^1];

        /// <summary>One cell's contribution (null for a null cell).</summary>
        public void Add(int column, ulong? cell) => Value += (cell ?? (ulong)column + 1) * (ulong)(column + 1);

        public void Add<T>(int column, ReadOnlySpan<T?> values)
            where T : struct
        {
            foreach (var value in values)
            {
                Add(column, value switch
                {
                    null => null,
                    int i => (ulong)i,
                    long l => (ulong)l,
                    decimal d => (ulong)decimal.ToInt64(d * 10_000m),
                    DateTime t => (ulong)t.Ticks,
                    _ => 0UL,
                });
            }
        }

        public void Add(int column, ReadOnlySpan<string?> values)
        {
            foreach (var value in values)
            {
                Add(column, value is null ? null : Of(value));
            }
        }
    }
}
