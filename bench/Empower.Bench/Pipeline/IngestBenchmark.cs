using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Dataverse.Emulator.Options;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Ingestion;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Empower.Bench.Pipeline;

/// <summary>
/// Ingestion against the emulator's default limits and read cost: a snapshot of N accounts (default 50,000) with its
/// rows/s beside the emulator's modelled read ceiling, then K single-record changes (default 10), each followed by one
/// ingest run, timing the change to its Delta commit. A timer of period T adds up to T (T/2 on average) to that.
/// </summary>
public static class IngestBenchmark
{
    private const int Principals = 1;
    private const int PageSize = 5000;

    public static async Task<int> RunAsync(string[] args)
    {
        int rows = Option(args, "--rows", 50_000);
        int changes = Option(args, "--changes", 10);
        string root = Directory.CreateTempSubdirectory("empower-bench-ingest-").FullName;
        try
        {
            // Default limits and read cost; creates cost nothing here so that seeding is quick and not what is measured.
            await using var server = await EmulatorServer.StartAsync(new Dictionary<string, string?>
            {
                ["Emulator:Cost:CreatePerRecordMs"] = "0",
                ["Emulator:Cost:UpdatePerRecordMs"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
                // Records in a file, not in this process's memory, so the heap measured below is the ingestion's.
                ["Emulator:Storage:Path"] = Path.Combine(root, "org.db"),
            });
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(server.ClientSettings(Principals)).Build();
            await using var services = new ServiceCollection().AddEmpowerPipeline(configuration).BuildServiceProvider();
            var dataverse = services.GetRequiredService<DataverseClient>();
            var accounts = await dataverse.Metadata.GetAsync("account");
            await SeedAsync(dataverse, accounts, rows);

            var job = new IngestJob { Name = "bench-accounts", From = new IngestSource { Table = "account" },
                To = new IngestTarget { Path = Path.Combine(root, "accounts") }, PageSize = PageSize };
            var runner = new IngestRunner(dataverse, TimeProvider.System);
            var table = new IngestTable(new LocalLakeStorage(job.To.Path), TimeProvider.System);
            GC.Collect();
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            using var sampling = new CancellationTokenSource();
            long heapPeak = heapBefore;
            var sampler = Task.Run(async () =>
            {
                // Live objects, after a full collection: what the run holds, not garbage the GC has yet to collect.
                while (!sampling.IsCancellationRequested)
                {
                    heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: true));
                    await Task.Delay(250, CancellationToken.None);
                }
            });
            var snapshot = await runner.RunAsync(job, table, "snapshot", default);
            await sampling.CancelAsync();
            await sampler;
            double perSecond = snapshot.Created / snapshot.Duration.TotalSeconds;
            Console.WriteLine($"Ingest snapshot: {snapshot.Created:N0} accounts, {snapshot.Pages} pages of {PageSize:N0}, " +
                $"{snapshot.Duration.TotalSeconds:N1} s = {perSecond:N0} rows/s with {Principals} principal");
            Console.WriteLine($"Live managed heap during the snapshot (client and in-process emulator, sampled every 250 ms): peak " +
                $"{(heapPeak - heapBefore) / 1048576.0:N0} MiB above the {heapBefore / 1048576.0:N0} MiB before it");
            Console.WriteLine($"Emulator read ceiling (modelled, docs/emulator.md): {Ceiling():N0} records/s per principal; the snapshot reached " +
                $"{perSecond / Ceiling():P0} of it");

            var latencies = new List<double>();
            for (int i = 0; i < changes; i++)
            {
                var watch = Stopwatch.StartNew();
                await dataverse.Writer.WriteAsync(new WriteRequest(accounts, WriteMode.Upsert, ["accountnumber"]),
                    [new RecordToWrite(i, new JsonObject { ["accountnumber"] = $"B-{i:D7}", ["name"] = $"Changed {i}" })]);
                var run = await runner.RunAsync(job, table, $"change-{i}", default);
                latencies.Add(watch.Elapsed.TotalSeconds);
                if (run.Updated != 1)
                {
                    throw new InvalidOperationException($"change {i}: the run updated {run.Updated} rows, not 1 ({run.Reason}).");
                }
            }

            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Change to Delta commit, {changes} single-record changes on a {rows:N0}-row table: median {latencies[latencies.Count / 2]:N2} s, max " +
                    $"{latencies[^1]:N2} s (each run rewrites the file holding the record; a timer of period T adds up to T)"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>In a method of its own, so the seeded records are not kept alive by the caller and counted in its heap.</summary>
    private static async Task SeedAsync(DataverseClient dataverse, EntityMetadata accounts, int rows)
    {
        foreach (var chunk in Enumerable.Range(0, rows).Chunk(50_000))
        {
            await dataverse.Writer.WriteAsync(new WriteRequest(accounts, WriteMode.Insert, ["accountnumber"]),
                [.. chunk.Select(i => Account(i, $"Account {i}"))]);
        }
    }

    private static RecordToWrite Account(int i, string name) =>
        new(i, new JsonObject { ["accountnumber"] = $"B-{i:D7}", ["name"] = name, ["numberofemployees"] = i % 1000, ["revenue"] = i * 1.25m }, Guid.NewGuid());

    /// <summary>Pages of <see cref="PageSize"/> per second one principal gets from the default execution-time and request limits.</summary>
    private static double Ceiling()
    {
        double pageMs = EmulatorDefaults.RequestOverheadMs + (PageSize * EmulatorDefaults.ReadPerRecordMs);
        double byExecution = EmulatorDefaults.MaxExecutionMs / (double)EmulatorDefaults.WindowSeconds / pageMs;
        double byRequests = EmulatorDefaults.MaxRequests / (double)EmulatorDefaults.WindowSeconds;
        return Math.Min(byExecution, byRequests) * PageSize;
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);
}
