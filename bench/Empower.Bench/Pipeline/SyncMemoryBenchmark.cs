using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Microsoft.Extensions.Configuration;
using Parquet;
using Parquet.Schema;

namespace Empower.Bench.Pipeline;

/// <summary>
/// Peak memory of a first sync with the default settings: a Parquet file of N rows × 8 columns (6 strings, a long, a
/// decimal) in one row group, and the same rows in row groups of 100,000, upserted by alternate key into the emulator
/// (limits off). The emulator runs in this process; each sync runs in a child process, whose peak working set (VmHWM)
/// is the sync's alone. Prints rows/s and peak MiB per case.
/// </summary>
public static class SyncMemoryBenchmark
{
    private const int GroupRows = 100_000;

    private static readonly DataField[] Fields =
    [
        new DataField<string>("email"), new DataField<string>("last_name"), new DataField<string>("first_name"), new DataField<string>("city"),
        new DataField<string>("street"), new DataField<string>("phone"), new DataField<long>("children"), new DecimalDataField("income", 18, 2),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        long[] sizes = Option(args, "--rows", "1000000,5000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string root = Directory.CreateTempSubdirectory("empower-bench-memory-").FullName;
        try
        {
            Console.WriteLine($"Sync memory: 8 columns (6 strings, a long, a decimal), upsert by emailaddress1 into the emulator (limits off), default settings; {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"rows",12} {"row groups",12} {"rows/s",10} {"peak MiB",9} {"written",10}");
            foreach (long rows in sizes)
            {
                foreach (int groupRows in new[] { (int)rows, GroupRows })
                {
                    string lake = Path.Combine(root, $"lake-{rows}-{groupRows}");
                    await WriteAsync(lake, rows, groupRows);
                    // A fresh emulator per case: every run is a first sync into an empty table.
                    await using var server = await EmulatorServer.StartAsync(new Dictionary<string, string?>
                    {
                        ["Emulator:Limits:Enabled"] = "false", ["Emulator:Cost:RequestOverheadMs"] = "0", ["Emulator:Cost:CreatePerRecordMs"] = "0",
                        ["Emulator:Cost:UpdatePerRecordMs"] = "0", ["Emulator:Cost:ReadPerRecordMs"] = "0", ["Logging:LogLevel:Default"] = "Warning",
                    });
                    var settings = server.ClientSettings(principals: 4);
                    settings["Empower:Pipeline:StateLocation"] = Path.Combine(root, $"state-{rows}-{groupRows}");
                    settings["Logging:LogLevel:Default"] = "Warning";
                    var measured = Child(lake, settings);
                    Console.WriteLine($"{rows,12:N0} {(groupRows >= rows ? "1" : $"{rows / groupRows} × {groupRows:N0}"),12} {measured.RowsPerSecond,10:N0} {measured.PeakBytes / 1048576.0,9:N0} {measured.Written,10:N0}");
                    Directory.Delete(lake, recursive: true);
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

    private static async Task WriteAsync(string folder, long rows, int groupRows)
    {
        Directory.CreateDirectory(folder);
        await using var stream = File.Create(Path.Combine(folder, "people.parquet"));
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(Fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
        for (long first = 0; first < rows; first += groupRows)
        {
            int n = (int)Math.Min(groupRows, rows - first);
            long offset = first;
            using var group = writer.CreateRowGroup();
            string[] Text(Func<long, string> value) => [.. Enumerable.Range(0, n).Select(i => value(offset + i))];
            await group.WriteAsync(Fields[0], Text(i => $"p{i}@example.com"));
            await group.WriteAsync(Fields[1], Text(i => $"Last {i}"));
            await group.WriteAsync(Fields[2], Text(i => $"First {i % 5000}"));
            await group.WriteAsync(Fields[3], Text(i => $"City {i % 1000}"));
            await group.WriteAsync(Fields[4], Text(i => $"Engineer {i % 9999}"));
            await group.WriteAsync(Fields[5], Text(i => $"+1 555 {i % 10_000_000:D7}"));
            await group.WriteAsync<long>(Fields[6], Enumerable.Range(0, n).Select(i => (long)((offset + i) % 5)).ToArray());
            await group.WriteAsync<decimal>(Fields[7], Enumerable.Range(0, n).Select(i => (offset + i) % 100_000 * 1.25m).ToArray());
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
