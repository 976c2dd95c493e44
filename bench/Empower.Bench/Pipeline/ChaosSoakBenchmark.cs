using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Pipeline.Contracts;
using Microsoft.Extensions.Configuration;

namespace Empower.Bench.Pipeline;

/// <summary>
/// The chaos profile of the standing fault suite (20 % 503s, 5 % resets, 5 % responses lost after the commit, tight
/// limits) for a while (default 600 s): round after round a new Delta version — new keys and changes to earlier
/// ones — is synced incrementally. After every round it checks the invariants (records = distinct keys, nothing
/// failed, no Retry-After violated, counts add up) and prints rows/s and the faults seen; it exits 1 if one broke.
/// </summary>
public static class ChaosSoakBenchmark
{
    private const int RowsPerRound = 5_000;

    private static readonly LakeSchema People = new(
    [
        new LakeField("email", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("last_name", LakeDataType.Primitive(LakeTypeKind.String)),
    ]);

    private static Dictionary<string, string?> Profile() => new()
    {
        ["Emulator:Faults:ServiceUnavailableRate"] = "0.2",
        ["Emulator:Faults:ConnectionResetRate"] = "0.05",
        ["Emulator:Faults:DropResponseAfterCommitRate"] = "0.05",
        ["Emulator:Limits:Enabled"] = "true",
        ["Emulator:Limits:WindowSeconds"] = "5",
        ["Emulator:Limits:MaxRequests"] = "25",
        ["Emulator:Cost:RequestOverheadMs"] = "0",
        ["Emulator:Cost:CreatePerRecordMs"] = "0",
        ["Emulator:Cost:UpdatePerRecordMs"] = "0",
        ["Emulator:Cost:ReadPerRecordMs"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        int seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(600);
        string root = Directory.CreateTempSubdirectory("empower-bench-chaos-").FullName;
        try
        {
            string lake = Path.Combine(root, "people");
            var writer = new DeltaAppendWriter(new LocalLakeStorage(lake), People, TimeProvider.System);
            await using var server = await EmulatorServer.StartAsync(Profile());
            var settings = server.ClientSettings(principals: 2);
            settings["Empower:Pipeline:StateLocation"] = Path.Combine(root, "state");
            settings["Empower:Pipeline:PartitionMaxRows"] = "2500";
            settings["Empower:Dataverse:BatchSize"] = "200";
            settings["Empower:Dataverse:MaxThrottleWait"] = "00:00:02";
            await using var runner = await SyncRunner.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var job = JobDefinitionLoader.Parse($$"""
                { "name": "people", "source": { "path": {{System.Text.Json.JsonSerializer.Serialize(lake)}} }, "target": { "table": "contact" }, "mode": "upsert",
                  "match": { "key": ["emailaddress1"] }, "maxDeferrals": 100,
                  "columns": [ { "source": "email", "attribute": "emailaddress1" }, { "source": "last_name", "attribute": "lastname" } ] }
                """, "people.json");

            Console.WriteLine($"Chaos soak for {seconds} s: 20% 503, 5% resets, 5% lost responses, 25 requests per 5 s per principal, 2 principals, " +
                $"{RowsPerRound:N0} rows per round (half new keys)");
            Console.WriteLine($"{"Round",5} {"Read",8} {"Written",8} {"Unchanged",9} {"Failed",7} {"Seconds",8} {"Rows/s",8} {"Records",9} {"429s",6} " +
                $"{"Faults",7}  Invariants");
            var clock = Stopwatch.StartNew();
            var random = new Random(23);
            int keys = 0;
            long written = 0;
            bool held = true;
            for (int round = 1; clock.Elapsed.TotalSeconds < seconds; round++)
            {
                int fresh = keys == 0 ? RowsPerRound : RowsPerRound / 2;
                var rows = Enumerable.Range(keys, fresh).Select(i => new object?[] { $"p{i}@example.com", $"L{i} r{round}" })
                    .Concat(Enumerable.Range(0, RowsPerRound - fresh).Select(_ => random.Next(keys)).Distinct().Select(i
                        => new object?[] { $"p{i}@example.com", $"L{i} r{round}" }))
                    .ToList();
                keys += fresh;
                await writer.AppendAsync(rows, "WRITE");

                var started = clock.Elapsed;
                var summary = await runner.RunAsync(new SyncRunInput(job, $"soak-{round}"), null, default);
                double taken = (clock.Elapsed - started).TotalSeconds;
                written += summary.Written;
                var stats = (await http.GetFromJsonAsync<JsonObject>("_emulator/stats"))!;
                int records = (int)stats["tables"]!["contact"]!["records"]!;
                int violations = (int)stats["totals"]!["retryAfterViolations"]!;
                int faults = stats["faults"]!.AsObject().Sum(f => (int)f.Value!);
                var broken = new List<string>();
                if (records != keys)
                {
                    broken.Add($"records {records} ≠ keys {keys}");
                }

                if (summary.Failed > 0)
                {
                    broken.Add($"{summary.Failed} failed");
                }

                if (violations > 0)
                {
                    broken.Add($"{violations} Retry-After violations");
                }

                if (summary.Read != summary.Rows.Accounted || summary.Read != rows.Count)
                {
                    broken.Add($"read {summary.Read} of {rows.Count}, accounted {summary.Rows.Accounted}");
                }

                held &= broken.Count == 0;
                Console.WriteLine($"{round,5} {summary.Read,8:N0} {summary.Written,8:N0} {summary.Unchanged,9:N0} {summary.Failed,7:N0} {taken,8:N1} " +
                    $"{summary.Written / taken,8:N0} {records,9:N0} {(int)stats["totals"]!["throttled"]!,6:N0} {faults,7:N0}  " +
                    $"{(broken.Count == 0 ? "held" : string.Join("; ", broken))}");
            }

            Console.WriteLine($"{written:N0} rows written in {clock.Elapsed.TotalSeconds:N0} s ({written / clock.Elapsed.TotalSeconds:N0} rows/s) over " +
                $"{keys:N0} keys; invariants {(held ? "held in every round" : "BROKEN")}.");
            return held ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
