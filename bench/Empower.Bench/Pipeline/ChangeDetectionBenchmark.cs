using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Pipeline.Contracts;
using Microsoft.Extensions.Configuration;

namespace Empower.Bench.Pipeline;

/// <summary>
/// What change detection saves on a large table: a first run of N rows (default 1,000,000), the same table again with a
/// full read and nothing changed, again with an incremental read, then 1 % of the rows changed in a new version (an
/// UPDATE that rewrites one file, read in full) and 1 % appended (read as changes) — all against the same emulator
/// limits profile. Prints each run's time, rows written, records written in Dataverse and requests.
/// </summary>
public static class ChangeDetectionBenchmark
{
    private static readonly LakeSchema People = new(
    [
        new LakeField("email", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("last_name", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("first_name", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("city", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("children", LakeDataType.Primitive(LakeTypeKind.Long)),
    ]);

    /// <summary>
    /// Limits on, scaled to a 20-second window and generous enough that the emulator's own work (SQLite on 2 cores), not
    /// throttling, sets the pace; the same for every run, so the runs compare.
    /// </summary>
    private static Dictionary<string, string?> Profile() => new()
    {
        ["Emulator:Limits:Enabled"] = "true",
        ["Emulator:Limits:WindowSeconds"] = "20",
        ["Emulator:Limits:MaxRequests"] = "6000",
        ["Emulator:Limits:MaxExecutionMs"] = "1200000",
        ["Emulator:Cost:RequestOverheadMs"] = "0",
        ["Emulator:Cost:CreatePerRecordMs"] = "0",
        ["Emulator:Cost:UpdatePerRecordMs"] = "0",
        ["Emulator:Cost:ReadPerRecordMs"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        int rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1_000_000);
        int perFile = Math.Max(1, rows / 10);
        string root = Directory.CreateTempSubdirectory("empower-bench-changes-").FullName;
        try
        {
            string lake = Path.Combine(root, "people");
            var writer = new DeltaAppendWriter(new LocalLakeStorage(lake), People, TimeProvider.System);
            for (int start = 0; start < rows; start += perFile)
            {
                await writer.AppendAsync(Rows(start, Math.Min(perFile, rows - start), _ => "L"), "WRITE");
            }

            await using var server = await EmulatorServer.StartAsync(Profile());
            await using var runner = await SyncRunner.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(Settings(server, root)).Build());
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var job = JobDefinitionLoader.Parse($$"""
                { "name": "people", "source": { "path": {{System.Text.Json.JsonSerializer.Serialize(lake)}} }, "target": { "table": "contact" }, "mode": "upsert",
                  "match": { "key": ["emailaddress1"] }, "batchSize": 500,
                  "columns": [
                    { "source": "email", "attribute": "emailaddress1" }, { "source": "last_name", "attribute": "lastname" },
                    { "source": "first_name", "attribute": "firstname" }, { "source": "city", "attribute": "address1_city" },
                    { "source": "children", "attribute": "numberofchildren" } ] }
                """, "people.json");

            Console.WriteLine($"Change detection (lake-state), {rows:N0} rows in {Math.Ceiling(rows / (double)perFile)} files, 4 principals");
            Console.WriteLine($"{"Run",-34} {"Read",10} {"Written",10} {"Unchanged",10} {"Seconds",8} {"Plan/publish/finalize s",24} {"Records written",16} " +
                $"{"Requests",9} {"peak MiB",9}");
            var first = await MeasureAsync("first run (full)", root, "first", () => runner.RunAsync(new SyncRunInput(job, "first"), null, default), http);
            var full = await MeasureAsync("unchanged, full read (--full)", root, "unchanged-full",
                () => runner.RunAsync(new SyncRunInput(job, "unchanged-full", Full: true), null, default), http);
            await MeasureAsync("unchanged, incremental read", root, "unchanged-incremental",
                () => runner.RunAsync(new SyncRunInput(job, "unchanged-incremental"), null, default), http);

            var storage = new LocalLakeStorage(lake);
            var old = (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest)).Files[0];
            int changed = Math.Max(1, rows / 100);
            var rewritten = await writer.WriteFileAsync($"part-{Guid.NewGuid():N}.snappy.parquet", Rows(0, perFile, i => i < changed ? "Changed" : "L"));
            await writer.CommitAsync([rewritten], [old.Path], "UPDATE");
            await MeasureAsync("1% changed (UPDATE, full read)", root, "changed-update",
                () => runner.RunAsync(new SyncRunInput(job, "changed-update"), null, default), http);

            await writer.AppendAsync(Rows(rows, changed, _ => "L"), "WRITE");
            await MeasureAsync("1% appended (incremental read)", root, "appended",
                () => runner.RunAsync(new SyncRunInput(job, "appended"), null, default), http);
            Console.WriteLine("peak MiB: this process's peak working set during the run, the in-process emulator and its records included.");
            Console.WriteLine($"Unchanged full re-run: {full.Seconds / first.Seconds:P1} of the first run's time, {full.Records} records written, " +
                $"{full.Requests} requests (goal: 0 writes, ≤ 15 %).");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static List<object?[]> Rows(int start, int count, Func<int, string> lastName) =>
        [.. Enumerable.Range(start, count).Select(i => new object?[] { $"p{i}@example.com", $"{lastName(i - start)} {i}", $"F{i}",
            $"City {i % 1000}", (long)(i % 5) })];

    private static async Task<(double Seconds, long Records, long Requests)> MeasureAsync(string name, string root, string runId,
        Func<Task<RunSummary>> run, HttpClient http)
    {
        var before = await StatsAsync(http);
        ResetPeak();
        var clock = Stopwatch.StartNew();
        var summary = await run();
        double seconds = clock.Elapsed.TotalSeconds;
        var after = await StatsAsync(http);
        long records = Written(after) - Written(before);
        long requests = (long)after["totals"]!["requests"]! - (long)before["totals"]!["requests"]!;
        // The run report's stage times (orchestration time) say where the seconds went.
        var timings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "state", "people", "runs", runId, "report.json")))!["timings"]!;
        string stages = $"{(double)timings["planSeconds"]!:N1} / {(double)timings["publishSeconds"]!:N1} / {(double)timings["finalizeSeconds"]!:N1}";
        Console.WriteLine($"{name,-34} {summary.Read,10:N0} {summary.Written,10:N0} {summary.Unchanged,10:N0} {seconds,8:N1} {stages,24} {records,16:N0} " +
            $"{requests,9:N0} {PeakMiB(),9:N0}   ({summary.ReadMode}: {summary.ReadReason})");
        return (seconds, records, requests);
    }

    /// <summary>Linux resets the process's peak resident set (VmHWM) when 5 is written to clear_refs.</summary>
    private static void ResetPeak()
    {
        if (File.Exists("/proc/self/clear_refs"))
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
    }

    private static double PeakMiB()
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:",
            StringComparison.Ordinal)) : null;
        return line is null
            ? Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0
            : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    private static long Written(JsonObject stats) => (long)stats["tables"]!["contact"]!["created"]! + (long)stats["tables"]!["contact"]!["updated"]!;

    private static async Task<JsonObject> StatsAsync(HttpClient http) => (await http.GetFromJsonAsync<JsonObject>("_emulator/stats"))!;

    private static Dictionary<string, string?> Settings(EmulatorServer server, string root)
    {
        var settings = server.ClientSettings(principals: 4);
        settings["Empower:Pipeline:StateLocation"] = Path.Combine(root, "state");
        settings["Empower:Pipeline:PartitionMaxRows"] = "100000";
        return settings;
    }
}
