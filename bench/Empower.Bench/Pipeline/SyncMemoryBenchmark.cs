using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Microsoft.Extensions.Configuration;
using ParquetSharp;

namespace Empower.Bench.Pipeline;

/// <summary>
/// Peak memory of a first sync with the default settings: a Parquet file of N rows × 8 columns (6 strings, a long, a
/// decimal) in one row group, and the same rows in row groups of 100,000, upserted by alternate key into the emulator
/// (limits off). The emulator runs in this process; each sync runs in a child process, whose peak working set (VmHWM)
/// is the sync's alone. A peak varies by about ±10 % from run to run at the same size (when a gen-2 collection meets the
/// partitions' native buffers), as much as the goal allows between sizes: with <c>--repeat N</c> each case runs N times
/// and the sizes are compared by their median peaks. Prints rows/s and peak MiB per run, and the medians.
/// </summary>
public static class SyncMemoryBenchmark
{
    private const int GroupRows = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        long[] sizes = Option(args, "--rows", "1000000,5000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int repeat = int.Parse(Option(args, "--repeat", "1"), CultureInfo.InvariantCulture);
        var medians = new List<(long Rows, int GroupRows, double PeakMiB)>();
        string root = Directory.CreateTempSubdirectory("empower-bench-memory-").FullName;
        try
        {
            Console.WriteLine($"Sync memory: 8 columns (6 strings, a long, a decimal), upsert by emailaddress1 into the emulator (limits off), default " +
                $"settings; {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"rows",12} {"row groups",12} {"run",4} {"rows/s",10} {"peak MiB",9} {"written",10}");
            foreach (long rows in sizes)
            {
                foreach (int groupRows in new[] { (int)rows, GroupRows })
                {
                    string lake = Path.Combine(root, $"lake-{rows}-{groupRows}");
                    Write(lake, rows, groupRows);
                    var peaks = new List<double>();
                    for (int run = 1; run <= repeat; run++)
                    {
                        var measured = await SyncAsync(root, lake, $"{rows}-{groupRows}-{run}");
                        peaks.Add(measured.PeakBytes / 1048576.0);
                        Console.WriteLine($"{rows,12:N0} {Groups(rows, groupRows),12} {run,4} {measured.RowsPerSecond,10:N0} {peaks[^1],9:N0} " +
                            $"{measured.Written,10:N0}");
                    }

                    medians.Add((rows, groupRows, peaks.Order().ElementAt(peaks.Count / 2)));
                    Directory.Delete(lake, recursive: true);
                }
            }

            if (repeat > 1)
            {
                Console.WriteLine($"Median peak MiB of {repeat} runs (of an even count, the higher middle one):");
                foreach (var (rows, groupRows, peak) in medians)
                {
                    // Against the smallest size with the same layout: one row group, or row groups of 100,000.
                    bool single = groupRows >= rows;
                    var baseline = medians.Where(m => (m.GroupRows >= m.Rows) == single).MinBy(m => m.Rows);
                    Console.WriteLine($"{rows,12:N0} {Groups(rows, groupRows),12} {peak,9:N0} {(peak / baseline.PeakMiB) - 1,8:+0.0 %;-0.0 %} vs " +
                        $"{baseline.Rows:N0} rows");
                }
            }

            Console.WriteLine("Goal: peak working set ≤ 512 MiB at every size, and within 10 % between 1M and 5M rows.");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>One first sync into a fresh emulator (an empty table), in a child process.</summary>
    private static async Task<Measurement> SyncAsync(string root, string lake, string name)
    {
        await using var server = await EmulatorServer.StartAsync(new Dictionary<string, string?>
        {
            ["Emulator:Limits:Enabled"] = "false", ["Emulator:Cost:RequestOverheadMs"] = "0", ["Emulator:Cost:CreatePerRecordMs"] = "0",
            ["Emulator:Cost:UpdatePerRecordMs"] = "0", ["Emulator:Cost:ReadPerRecordMs"] = "0", ["Logging:LogLevel:Default"] = "Warning",
        });
        var settings = server.ClientSettings(principals: 4);
        settings["Empower:Pipeline:StateLocation"] = Path.Combine(root, $"state-{name}");
        settings["Logging:LogLevel:Default"] = "Warning";
        return Child(lake, settings);
    }

    private static string Groups(long rows, int groupRows) => groupRows >= rows ? "1" : $"{rows / groupRows} × {groupRows:N0}";

    public static async Task<int> RunChildAsync(string[] args)
    {
        string lake = args[0];
        var settings = JsonSerializer.Deserialize<Dictionary<string, string?>>(args[1])!;
        await using var runner = await SyncRunner.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var job = JobDefinitionLoader.Parse($$"""
            { "name": "people", "source": { "path": {{JsonSerializer.Serialize(lake)}}, "format": "parquet" }, "target": { "table": "contact" },
              "match": { "key": ["emailaddress1"] },
              "columns": [
                { "source": "email", "attribute": "emailaddress1" }, { "source": "last_name", "attribute": "lastname" },
                { "source": "first_name", "attribute": "firstname" }, { "source": "city", "attribute": "address1_city" },
                { "source": "street", "attribute": "jobtitle" }, { "source": "phone", "attribute": "telephone1" },
                { "source": "children", "attribute": "numberofchildren" }, { "source": "income", "attribute": "creditlimit" } ] }
            """, "people.json");
        var clock = Stopwatch.StartNew();
        var summary = await runner.RunAsync(new SyncRunInput(job, "memory"), null, default);
        if (summary.Failed > 0)
        {
            Console.Error.WriteLine(File.ReadAllText(Path.Combine(settings["Empower:Pipeline:StateLocation"]!, "people", "runs", "memory", "report.md")));
        }

        Console.WriteLine(JsonSerializer.Serialize(new Measurement(summary.Read / clock.Elapsed.TotalSeconds, PeakWorkingSet(), summary.Written)));
        return 0;
    }

    private static Measurement Child(string lake, Dictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SyncMemoryBenchmark).Assembly.Location);
        }

        foreach (var arg in new[] { "sync-memory-child", lake, JsonSerializer.Serialize(settings) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return JsonSerializer.Deserialize<Measurement>(output.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException("The sync printed nothing.");
    }

    /// <summary>
    /// Written with ParquetSharp (Arrow's writer: dictionary encoding, data pages of 1 MB), as Spark's parquet-mr
    /// writes them; Parquet.Net writes a whole column chunk as one page, which no reader can decode in less memory.
    /// </summary>
    private static void Write(string folder, long rows, int groupRows)
    {
        const int Chunk = 100_000;
        Directory.CreateDirectory(folder);
        Column[] columns =
        [
            new Column<string>("email"), new Column<string>("last_name"), new Column<string>("first_name"), new Column<string>("city"),
            new Column<string>("street"), new Column<string>("phone"), new Column<long>("children"), new Column<decimal>("income", LogicalType.Decimal(18, 2)),
        ];
        Func<long, string>[] texts =
        [
            i => $"p{i}@example.com", i => $"Last {i}", i => $"First {i % 5000}", i => $"City {i % 1000}", i => $"Engineer {i % 9999}", i
                => $"+1 555 {i % 10_000_000:D7}",
        ];
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).MaxRowGroupLength(groupRows).Build();
        using var writer = new ParquetFileWriter(Path.Combine(folder, "people.parquet"), columns, properties);
        for (long first = 0; first < rows; first += groupRows)
        {
            long end = Math.Min(rows, first + groupRows);
            using var group = writer.AppendRowGroup();
            foreach (var text in texts)
            {
                using var column = group.NextColumn().LogicalWriter<string>();
                for (long start = first; start < end; start += Chunk)
                {
                    column.WriteBatch([.. Range(start, end, Chunk).Select(text)]);
                }
            }

            using (var children = group.NextColumn().LogicalWriter<long>())
            {
                for (long start = first; start < end; start += Chunk)
                {
                    children.WriteBatch([.. Range(start, end, Chunk).Select(i => i % 5)]);
                }
            }

            using var income = group.NextColumn().LogicalWriter<decimal>();
            for (long start = first; start < end; start += Chunk)
            {
                income.WriteBatch([.. Range(start, end, Chunk).Select(i => i % 100_000 * 1.25m)]);
            }
        }

        writer.Close();
    }

    private static IEnumerable<long> Range(long start, long end, int chunk)
    {
        for (long i = start; i < Math.Min(end, start + chunk); i++)
        {
            yield return i;
        }
    }

    private static long PeakWorkingSet()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null
            ? Process.GetCurrentProcess().PeakWorkingSet64
            : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private sealed record Measurement(double RowsPerSecond, long PeakBytes, long Written);
}
