using System.ComponentModel;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Cli.Demo;
using Empower.Cli.Runner;
using Empower.InProcess;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Ingestion;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary>
/// <c>empower demo</c>: a sample lake, the Dataverse emulator in this process with scaled service protection limits and
/// four principals, and the accounts then contacts jobs run end to end — no Azure and no configuration. A second pass
/// over the unchanged lake then shows change detection at work: nothing left to write.
/// </summary>
public sealed class DemoCommand : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("--rows <N>")]
        [Description("Accounts in the sample lake (contacts: 2.5 per account). Default 20,000.")]
        [DefaultValue(20_000)]
        public int Rows { get; init; } = 20_000;

        [CommandOption("--principals <N>")]
        [Description("Application users to write with (1-4). Default 4.")]
        [DefaultValue(4)]
        public int Principals { get; init; } = 4;

        [CommandOption("--chaos")]
        [Description("Tight limits plus injected faults: 503s, connection resets, responses lost after the commit.")]
        public bool Chaos { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON summary per job at the end.")]
        public bool Json { get; init; }

        [CommandOption("--folder <DIR>")]
        [Description("Where the sample lake, jobs, reports and failed rows go. Default ./.empower-demo.")]
        public string Folder { get; init; } = ".empower-demo";

        public override ValidationResult Validate() =>
            Rows < 100 ? ValidationResult.Error("--rows must be at least 100.")
            : Principals is < 1 or > 4 ? ValidationResult.Error("--principals must be between 1 and 4 (the emulator's application users).")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(settings.Folder);
        if (!settings.Json)
        {
            AnsiConsole.WriteLine($"Writing the sample lake ({settings.Rows:N0} accounts, {SampleLake.ContactCount(settings.Rows):N0} " +
                $"contacts) to {root} ...");
        }

        // Each demo starts with an empty emulator, so what an earlier demo published is no longer there.
        string state = Path.Combine(root, "state");
        string ingested = Path.Combine(root, "lake", "from-dataverse");
        foreach (string folder in new[] { state, ingested }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        await SampleLake.WriteAsync(root, settings.Rows, cancellationToken);
        var jobs = await DemoJobs.WriteAsync(root, cancellationToken);
        await using var server = await EmulatorServer.StartAsync(EmulatorProfile(settings), cancellationToken);
        var configuration = CliConfiguration.Build(null, ClientSettings(server, settings, root));
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        await using var runner = await SyncRunner.StartAsync(configuration, telemetry.Loggers);
        var summaries = new List<RunSummary>();
        var again = new List<RunSummary>();
        string runId = RunIds.At(DateTimeOffset.UtcNow);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var snapshots = new List<JsonObject>();
        foreach (var job in jobs)
        {
            var input = new SyncRunInput(job, runId);
            var summary = await SyncCommand.RunWithProgressAsync(runner, input, settings.Json ? null : 10, cancellationToken);
            if (summary.Status == RunStatus.Cancelled)
            {
                SyncCommand.Print(summary, settings.Json);
                return ExitCodes.Of(summary);
            }

            summaries.Add(summary);
        }

        snapshots.Add((await http.GetFromJsonAsync<JsonObject>("_emulator/stats", cancellationToken))!);
        foreach (var job in jobs)
        {
            again.Add(await runner.RunAsync(new SyncRunInput(job, runId + "-again"), null, cancellationToken));
            snapshots.Add((await http.GetFromJsonAsync<JsonObject>("_emulator/stats", cancellationToken))!);
        }

        // The round trip: what was published, ingested back into the lake from Dataverse's change tracking.
        var roundTrip = new List<(IngestResult Result, string Location, long Records)>();
        foreach (var (table, name) in new[] { ("account", "accounts"), ("contact", "contacts") })
        {
            var ingest = new IngestJob { Name = $"demo-{name}-back", From = new IngestSource { Table = table },
                To = new IngestTarget { Path = Path.Combine(ingested, name) } };
            var (result, location) = await IngestCommand.RunAsync(configuration, telemetry.Loggers, ingest, $"{runId}-ingest", cancellationToken);
            roundTrip.Add((result, location, (long)snapshots[^1]["tables"]![table]!["records"]!));
        }

        if (settings.Json)
        {
            for (int i = 0; i < summaries.Count; i++)
            {
                var json = JsonSummary(summaries[i], again[i], snapshots[0], snapshots[i], snapshots[i + 1]);
                json["roundTrip"] = new JsonObject { ["path"] = roundTrip[i].Location, ["rows"] = roundTrip[i].Result.Created,
                    ["recordsInDataverse"] = roundTrip[i].Records, ["version"] = roundTrip[i].Result.Version };
                Console.Out.WriteLine(json.ToJsonString());
            }
        }
        else
        {
            Print(summaries, snapshots[0], root, settings.Rows);
            PrintSecondPass(again, snapshots);
            Console.Out.WriteLine("Round trip, ingested back from Dataverse into the lake (empower ingest, change tracking):");
            foreach (var (result, location, records) in roundTrip)
            {
                Console.Out.WriteLine($"  {result.Job}: {Counted.Of(result.Created, "row")} in {location} (Delta version {result.Version}) = " +
                    $"{Counted.Of(records, "record")} in Dataverse; {Counted.Of(result.Pages, "page")} in {result.Duration.TotalSeconds:N1} s.");
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Records the emulator created or updated in a table, and requests it answered, between two stats snapshots.</summary>
    private static (long Written, long Requests) Between(JsonObject before, JsonObject after, string table)
    {
        long Written(JsonObject s) => (long)s["tables"]![table]!["created"]! + (long)s["tables"]![table]!["updated"]!;
        return (Written(after) - Written(before), (long)after["totals"]!["requests"]! - (long)before["totals"]!["requests"]!);
    }

    private static void PrintSecondPass(List<RunSummary> again, List<JsonObject> snapshots)
    {
        Console.Out.WriteLine("Second pass over the unchanged lake (change detection: what was published is skipped):");
        for (int i = 0; i < again.Count; i++)
        {
            var s = again[i];
            var (written, requests) = Between(snapshots[i], snapshots[i + 1], s.Job == "demo-accounts" ? "account" : "contact");
            Console.Out.WriteLine(
                $"  {s.Job}: read {s.Rows.Read:N0} ({s.ReadMode}: {s.ReadReason}); {s.Rows.Unchanged:N0} unchanged, {s.Rows.Failed:N0} failed again; " +
                $"records written in Dataverse: {written:N0}; requests: {requests:N0} (only retries of rows that failed before).");
        }
    }

    /// <summary>Microsoft's per-user rates scaled to a 10-second window; a light server cost so the demo finishes quickly.</summary>
    private static Dictionary<string, string?> EmulatorProfile(Settings settings)
    {
        var profile = new Dictionary<string, string?>
        {
            ["Emulator:Limits:Enabled"] = "true",
            ["Emulator:Limits:WindowSeconds"] = settings.Chaos ? "5" : "10",
            ["Emulator:Limits:MaxRequests"] = settings.Chaos ? "20" : "200",
            ["Emulator:Limits:MaxExecutionMs"] = settings.Chaos ? "5000" : "40000",
            ["Emulator:Cost:RequestOverheadMs"] = "10",
            ["Emulator:Cost:CreatePerRecordMs"] = "1",
            ["Emulator:Cost:UpdatePerRecordMs"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (settings.Chaos)
        {
            profile["Emulator:Faults:ServiceUnavailableRate"] = "0.05";
            profile["Emulator:Faults:ConnectionResetRate"] = "0.01";
            profile["Emulator:Faults:DropResponseAfterCommitRate"] = "0.01";
        }

        return profile;
    }

    private static Dictionary<string, string?> ClientSettings(EmulatorServer server, Settings settings, string root)
    {
        var values = server.ClientSettings(settings.Principals);
        values["Empower:Dataverse:MaxThrottleWait"] = settings.Chaos ? "00:00:03" : "00:00:30";
        values["Empower:Pipeline:StateLocation"] = Path.Combine(root, "state");
        return values;
    }

    private static JsonObject JsonSummary(RunSummary summary, RunSummary again, JsonObject stats, JsonObject beforeAgain, JsonObject afterAgain)
    {
        string table = summary.Job == "demo-accounts" ? "account" : "contact";
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        var json = JsonSerializer.SerializeToNode(summary, options)!.AsObject();
        var (written, requests) = Between(beforeAgain, afterAgain, table);
        var second = JsonSerializer.SerializeToNode(again, options)!.AsObject();
        second["recordsWrittenInDataverse"] = written;
        second["requests"] = requests;
        json["secondPass"] = second;
        json["emulator"] = new JsonObject
        {
            ["records"] = stats["tables"]![table]!["records"]!.DeepClone(),
            ["duplicateKeyRejections"] = stats["tables"]![table]!["duplicateKeyRejections"]!.DeepClone(),
            ["retryAfterViolations"] = stats["totals"]!["retryAfterViolations"]!.DeepClone(),
            ["throttled"] = stats["totals"]!["throttled"]!.DeepClone(),
            ["principals"] = stats["principals"]!.DeepClone(),
        };
        return json;
    }

    private static void Print(List<RunSummary> summaries, JsonObject stats, string root, int accounts)
    {
        var table = new Table().AddColumns("Job", "Read", "Written", "Failed", "Deferrals", "Records in Dataverse");
        foreach (var s in summaries)
        {
            string entity = s.Job == "demo-accounts" ? "account" : "contact";
            table.AddRow(s.Job, $"{s.Read:N0}", $"{s.Written:N0}", $"{s.Failed:N0}", $"{s.Deferrals}", $"{(int)stats["tables"]![entity]!["records"]!:N0}");
        }

        AnsiConsole.Write(table);
        var (badAccounts, badContacts, orphans) = SampleLake.BadRows(accounts);
        AnsiConsole.WriteLine($"The sample holds {badAccounts} bad accounts and {badContacts} bad contacts on purpose, and {orphans} contacts " +
            $"of those bad accounts fail with them (missing lookup target); all are in the failed rows with their reasons.");
        AnsiConsole.WriteLine($"Throttled requests (429): {(int)stats["totals"]!["throttled"]!:N0}; Retry-After violations: " +
            $"{(int)stats["totals"]!["retryAfterViolations"]!}.");
        foreach (var s in summaries)
        {
            AnsiConsole.MarkupLineInterpolated($"{s.Job}: report {s.Report}{(s.FailedRows is null ? "" : $"; failed rows {s.FailedRows}")}");
        }

        // The demo's emulator is gone when it ends: the hint starts one that writes the settings the sync needs.
        Console.Out.WriteLine($"Jobs: {Path.Combine(root, "jobs")}. Run one yourself: empower emulator --write-settings emulator.settings.json " +
            "(leave it running), then " +
            $"empower sync --job {Path.Combine(root, "jobs", "accounts.json")} --settings emulator.settings.json");
    }
}
