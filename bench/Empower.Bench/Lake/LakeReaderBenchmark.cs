using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Parquet;
using Parquet.Schema;

namespace Empower.Bench.Lake;

/// <summary>
/// Reads a generated 20-column Delta table with Parquet.Net's raw column API and with Empower's reader (rows as the
/// pipeline consumes them: typed vectors, deletion vectors and partition values applied). Each measurement runs in a
/// fresh process, so the reported peak working set belongs to that read alone. Both sides checksum every cell and
/// must agree.
/// </summary>
public static class LakeReaderBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        long[] sizes = Option(args, "--rows", "1000000,5000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string data = Option(args, "--data", Path.Combine(Path.GetTempPath(), "empower-bench"));
        Console.WriteLine($"Lake reader benchmark: 20 columns (6 string, 4 decimal(18,4), 3 timestamp, 4 int, 3 long), snappy, {BenchTableWriter.RowsPerFile:N0} rows per file, row groups of {BenchTableWriter.RowsPerGroup:N0}; {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"rows",12} {"raw rows/s",14} {"reader rows/s",14} {"ratio",7} {"raw peak MiB",13} {"reader peak MiB",16} {"reader live MiB",16}");
        foreach (long rows in sizes)
        {
            string folder = Path.Combine(data, $"table-{rows}");
            var generate = Stopwatch.StartNew();
            await BenchTableWriter.EnsureAsync(folder, rows);
            if (generate.Elapsed > TimeSpan.FromSeconds(1))
            {
                Console.WriteLine($"  (generated {rows:N0} rows in {generate.Elapsed.TotalSeconds:F1} s)");
            }

            // The first pass warms the file cache; the best of the next two is reported.
            var raw = Enumerable.Range(0, 3).Select(_ => Child("raw", folder)).ToList().Skip(1).MaxBy(r => r.RowsPerSecond)!;
            var reader = Enumerable.Range(0, 3).Select(_ => Child("reader", folder)).ToList().Skip(1).MaxBy(r => r.RowsPerSecond)!;
            var live = Child("reader-live", folder);
            if (raw.Checksum != reader.Checksum || raw.Rows != reader.Rows)
            {
                Console.Error.WriteLine($"MISMATCH: raw read {raw.Rows} rows (checksum {raw.Checksum}), reader {reader.Rows} rows (checksum {reader.Checksum}).");
                return 1;
            }

            Console.WriteLine($"{rows,12:N0} {raw.RowsPerSecond,14:N0} {reader.RowsPerSecond,14:N0} {reader.RowsPerSecond / raw.RowsPerSecond,7:P0} {raw.PeakBytes / 1048576.0,13:N0} {reader.PeakBytes / 1048576.0,16:N0} {live.PeakBytes / 1048576.0,16:N0}");
        }

        Console.WriteLine("Peak = the process's peak working set (VmHWM), which the GC's heap-growth policy shapes; live = the largest");
        Console.WriteLine("managed heap still referenced while a batch is held (a full GC after each batch), i.e. what the reader keeps.");
        Console.WriteLine("Goal: reader ≥ 60% of the raw rate; peak memory independent of table size.");
        return 0;
    }

    public static async Task<int> RunChildAsync(string[] args)
    {
        string mode = args[0];
        string folder = args[1];
        var clock = Stopwatch.StartNew();
        long live = 0;
        var (rows, checksum) = mode switch
        {
            "raw" => await ReadRawAsync(folder),
            "reader-live" => await ReadWithReaderAsync(folder, () => live = Math.Max(live, GC.GetTotalMemory(forceFullCollection: true))),
            _ => await ReadWithReaderAsync(folder, null),
        };
        clock.Stop();
        Console.WriteLine(JsonSerializer.Serialize(new Measurement(rows, rows / clock.Elapsed.TotalSeconds, mode == "reader-live" ? live : PeakWorkingSet(), checksum)));
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

    private static async Task<(long Rows, ulong Checksum)> ReadRawAsync(string folder)
    {
        long rows = 0;
        var checksum = new Checksum();
        foreach (var path in Directory.GetFiles(folder, "*.parquet").Order())
        {
            await using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var fields = reader.Schema.DataFields;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = (int)group.RowCount;
                for (int c = 0; c < fields.Length; c++)
                {
                    var field = fields[c];
                    if (field.ClrType == typeof(int))
                    {
                        var values = new int?[n];
                        await group.ReadAsync<int>(field, values.AsMemory());
                        checksum.Add(c, values);
                    }
                    else if (field.ClrType == typeof(long))
                    {
                        var values = new long?[n];
                        await group.ReadAsync<long>(field, values.AsMemory());
                        checksum.Add(c, values);
                    }
                    else if (field.ClrType == typeof(decimal))
                    {
                        var values = new decimal?[n];
                        await group.ReadAsync<decimal>(field, values.AsMemory());
                        checksum.Add(c, values);
                    }
                    else if (field.ClrType == typeof(DateTime))
                    {
                        var values = new DateTime?[n];
                        await group.ReadAsync<DateTime>(field, values.AsMemory());
                        checksum.Add(c, values);
                    }
                    else
                    {
                        var values = new string?[n];
                        await group.ReadAsync(field, values.AsMemory());
                        checksum.Add(c, values);
                    }
                }

                rows += n;
            }
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

    /// <summary>An order-independent sum over every cell, so both readers prove they saw the same values.</summary>
    private sealed class Checksum
    {
        public ulong Value { get; private set; }

        public void Add<T>(int column, T?[] values)
            where T : struct
        {
            ulong sum = 0;
            foreach (var value in values)
            {
                sum += value switch
                {
                    null => (ulong)column + 1,
                    int i => (ulong)i,
                    long l => (ulong)l,
                    decimal d => (ulong)decimal.ToInt64(d * 10_000m),
                    DateTime t => (ulong)t.Ticks,
                    _ => 0,
                };
            }

            Value += sum * (ulong)(column + 1);
        }

        public void Add(int column, string?[] values)
        {
            ulong sum = 0;
            foreach (var value in values)
            {
                sum += value is null ? (ulong)column + 1 : (ulong)value.Length * 31 + value[^1];
            }

            Value += sum * (ulong)(column + 1);
        }
    }
}
