using System.Text.Json;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Runtime;
using Empower.Sync.Pipeline.Starting;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Tests.Pipeline.Starting;

/// <summary>What the HTTP, timer and blob triggers do, against the in-process Durable host's client.</summary>
[Trait("Category", "Pipeline")]
public sealed class SyncStarterTests
{
    private static string Job(string name, string source, string extra = "") => $$"""
        { "name": "{{name}}", "source": { "path": {{JsonSerializer.Serialize(source)}} }, "target": { "table": "contact" },
          "match": { "key": ["emailaddress1"] }, "columns": [ { "source": "name", "attribute": "emailaddress1" } ] {{extra}} }
        """;

    private static async Task<(Empower.InProcess.SyncRunner Host, SyncStarter Starter)> StartAsync(EmulatorServer server, string jobs, string state)
    {
        var settings = Testing.Dataverse.EmulatorDataverse.Settings(server, principals: 1);
        settings["Empower:Pipeline:StateLocation"] = state;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var host = await Empower.InProcess.SyncRunner.StartAsync(configuration);
        var catalog = new JobCatalog(Options.Create(new JobCatalogOptions { Location = jobs }), Options.Create(new LakeConnectionOptions()));
        return (host, new SyncStarter(catalog, Options.Create(new PipelineOptions()), TimeProvider.System));
    }

    [Fact]
    public async Task One_run_per_job_at_a_time_and_unknown_or_invalid_jobs_start_nothing()
    {
        using var jobs = TempTable.Empty();
        using var state = TempTable.Empty();
        File.WriteAllText(Path.Combine(jobs.Path, "people.json"), Job("people", TestTables.DeltaPath("cdf-table")));
        File.WriteAllText(Path.Combine(jobs.Path, "broken.json"), "{ \"name\": 1 }");
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "1500")));
        var (host, starter) = await StartAsync(server, jobs.Path, state.Path);
        await using var _ = host;

        var first = await starter.StartAsync(host.Client, "people", "r1");
        var second = await starter.StartAsync(host.Client, "people", "r2");
        var unknown = await starter.StartAsync(host.Client, "nobody");
        var broken = await starter.StartAsync(host.Client, "broken");
        var escaping = await starter.StartAsync(host.Client, "other-job", "../../escaped-run");
        var done = await host.Client.WaitForInstanceCompletionAsync("people", getInputsAndOutputs: true);
        var again = await starter.StartAsync(host.Client, "people", "r3");

        Assert.Equal((StartStatus.Started, "people", "r1"), (first.Status, first.InstanceId, first.RunId));
        Assert.Equal(StartStatus.AlreadyRunning, second.Status);
        Assert.Equal(StartStatus.UnknownJob, unknown.Status);
        Assert.Equal(StartStatus.InvalidJob, broken.Status);
        Assert.Contains("broken.json is not a valid job file", Assert.Single(broken.Problems!));
        Assert.Equal(StartStatus.InvalidRunId, escaping.Status);
        Assert.Contains("the run id '../../escaped-run' must be", Assert.Single(escaping.Problems!));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(StartStatus.Started, again.Status);
        await host.Client.WaitForInstanceCompletionAsync("people");
    }

    [Fact]
    public async Task The_timer_starts_nightly_jobs_and_a_commit_starts_the_jobs_reading_its_table()
    {
        using var jobs = TempTable.Empty();
        using var state = TempTable.Empty();
        string cdf = TestTables.DeltaPath("cdf-table");
        File.WriteAllText(Path.Combine(jobs.Path, "nightly.json"), Job("nightly", cdf, """, "schedule": "nightly" """));
        File.WriteAllText(Path.Combine(jobs.Path, "on-commit.json"), Job("on-commit", cdf, """, "onNewCommit": true """));
        File.WriteAllText(Path.Combine(jobs.Path, "other.json"), Job("other", TestTables.DeltaPath("simple_table"), """, "onNewCommit": true """));
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        var (host, starter) = await StartAsync(server, jobs.Path, state.Path);
        await using var _ = host;

        var nightly = await starter.StartScheduledAsync(host.Client);
        var commit = await starter.StartForCommitAsync(host.Client, new Uri(Path.Combine(cdf, "_delta_log", "00000000000000000004.json")).AbsoluteUri);
        var checksum = await starter.StartForCommitAsync(host.Client, new Uri(Path.Combine(cdf, "_delta_log", "00000000000000000004.crc")).AbsoluteUri);

        Assert.Equal(["nightly"], nightly.Select(r => r.Job));
        Assert.Equal(["on-commit"], commit.Select(r => r.Job));
        Assert.Empty(checksum);
        await host.Client.WaitForInstanceCompletionAsync("nightly");
        await host.Client.WaitForInstanceCompletionAsync("on-commit");
    }

    [Fact]
    public async Task A_commit_arriving_during_a_run_makes_it_continue_as_a_new_run_when_it_finishes()
    {
        using var jobs = TempTable.Empty();
        using var state = TempTable.Empty();
        using var table = TempTable.Copy("cdf-table");
        File.WriteAllText(Path.Combine(jobs.Path, "on-commit.json"), Job("on-commit", table.Path, """, "onNewCommit": true, "changeDetection": "none" """));
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "3000")));
        var (host, starter) = await StartAsync(server, jobs.Path, state.Path);
        await using var _ = host;
        string log = Path.Combine(table.Path, "_delta_log");

        var first = Assert.Single(await starter.StartForCommitAsync(host.Client, new Uri(Path.Combine(log, "00000000000000000003.json")).AbsoluteUri));
        var stale = Assert.Single(await starter.StartForCommitAsync(host.Client, new Uri(Path.Combine(log, "00000000000000000002.json")).AbsoluteUri));
        var done = await host.Client.WaitForInstanceCompletionAsync("on-commit", getInputsAndOutputs: true);
        var runsAfterStale = Directory.GetDirectories(Path.Combine(state.Path, "on-commit", "runs")).Length;

        // A full run of version 3 (slow: every request takes 3 s) is publishing when Spark commits version 4.
        var again = await starter.StartAsync(host.Client, "on-commit", null, CancellationToken.None, full: true);
        Microsoft.DurableTask.Client.OrchestrationMetadata? running;
        do
        {
            await Task.Delay(50);
            running = await host.Client.GetInstanceAsync("on-commit", getInputsAndOutputs: true);
        }
        while (running?.SerializedCustomStatus?.Contains("\"publish\"", StringComparison.Ordinal) != true && running?.IsCompleted != true);

        Assert.Contains("\"publish\"", running!.SerializedCustomStatus, StringComparison.Ordinal);
        Assert.False(running.IsCompleted);

        File.Copy(Path.Combine(log, "00000000000000000003.json"), Path.Combine(log, "00000000000000000004.json"));
        var newer = Assert.Single(await starter.StartForCommitAsync(host.Client, new Uri(Path.Combine(log, "00000000000000000004.json")).AbsoluteUri));
        var last = await host.Client.WaitForInstanceCompletionAsync("on-commit", getInputsAndOutputs: true);

        Assert.Equal((StartStatus.Started, StartStatus.QueuedAfterRun, StartStatus.Started, StartStatus.QueuedAfterRun),
            (first.Status, stale.Status, again.Status, newer.Status));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, runsAfterStale);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, last.RuntimeStatus);
        var summary = last.ReadOutputAs<Sync.Pipeline.Contracts.RunSummary>()!;
        Assert.Equal(4, summary.Version);
        Assert.EndsWith("-v4", summary.RunId);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(state.Path, "on-commit", "runs")).Length);
        Assert.Single(Directory.GetFiles(Path.Combine(state.Path, "on-commit", "watermarks"), "00000000000000000004-*.json"));
    }
}
