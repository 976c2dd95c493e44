using System.Text.Json.Nodes;
using Empower.Cli.Runner;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>Live progress from the rows actually handled, and a job that means the same from any working directory.</summary>
public sealed class ProgressAndPathsTests
{
    [Fact]
    public async Task Live_progress_only_grows_and_ends_at_the_runs_own_counts()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "20")));
        string jobFile = await StopAndResumeTests.WritePeopleJobAsync(folder.Path, files: 4);
        var configuration = CliConfiguration.ForJob(StopAndResumeTests.WriteSettings(folder.Path, server), jobFile);
        var job = await JobDefinitionLoader.LoadAsync(jobFile);
        await using var runner = await SyncRunner.StartAsync(configuration);
        using var live = new LiveProgress(job.Name);
        var seen = new List<ProgressSnapshot>();

        var summary = await runner.RunAsync(new SyncRunInput(job, "r1"), p => seen.Add(live.Snapshot(p.Planned)), CancellationToken.None);
        seen.Add(live.Snapshot(summary.Read));

        Assert.True(seen.Count > 3, $"{seen.Count} snapshots");
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i].Done >= seen[i - 1].Done && seen[i].Written >= seen[i - 1].Written, $"snapshot {i}: {seen[i - 1]} then {seen[i]}");
        }

        Assert.Contains(seen, s => s.Done > 0 && s.Done < summary.Read);
        Assert.Equal((summary.Written, summary.Unchanged, summary.Failed, summary.Read),
            (seen[^1].Written, seen[^1].Unchanged, seen[^1].Failed, seen[^1].Done));
        Assert.Equal(20_000, seen.Max(s => s.Planned));
    }

    [Fact]
    public async Task Without_a_terminal_sync_prints_progress_lines_with_real_numbers()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "40")));
        string job = await StopAndResumeTests.WritePeopleJobAsync(folder.Path, files: 4);

        var (exit, output, _) = await CliRunner.RunAsync("sync", "--job", job, "--settings", StopAndResumeTests.WriteSettings(folder.Path, server),
            "--progress-every", "1");

        Assert.True(exit == 0, output);
        Assert.Matches(@"people: publish — [1-9][\d,]* of 20,000 rows: [\d,]+ written, 0 unchanged, 0 failed · [\d,]+ rows/s · 0 × 429", output);
        Assert.Contains("people: succeeded — 20,000 of 20,000 rows: 20,000 written", output);
    }

    [Fact]
    public async Task A_job_run_from_two_working_directories_reads_the_same_table_and_keeps_one_state_beside_the_job_file()
    {
        using var folder = TempTable.Empty();
        using var elsewhere = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = await StopAndResumeTests.WritePeopleJobAsync(folder.Path, files: 1);
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server);

        var (first, json1, _) = await CliRunner.RunInAsync(null, folder.Path, "sync", "--job", "people.json", "--settings", "settings.json", "--json");
        var (second, json2, _) = await CliRunner.RunInAsync(null, elsewhere.Path, "sync", "--job", job, "--settings", settings, "--json", "--full");

        Assert.True((first, second) == (0, 0), json1 + json2);
        var (a, b) = (JsonNode.Parse(json1)!, JsonNode.Parse(json2)!);
        Assert.Equal(5_000L, (long)a["rows"]!["written"]!);
        Assert.Equal((0L, 5_000L), ((long)b["rows"]!["written"]!, (long)b["rows"]!["unchanged"]!));
        Assert.Equal(Path.Combine(folder.Path, ".empower", "people"), (string)a["state"]!);
        Assert.Equal((string)a["state"]!, (string)b["state"]!);
        Assert.Equal(Path.Combine(folder.Path, "people"), (string)b["source"]!);
        Assert.Equal(job, (string)b["jobFile"]!);
        Assert.False(Directory.Exists(Path.Combine(elsewhere.Path, ".empower")));
    }
}
