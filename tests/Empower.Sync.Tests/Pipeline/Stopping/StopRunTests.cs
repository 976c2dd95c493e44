using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Running;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;
using Microsoft.DurableTask.Client;

namespace Empower.Sync.Tests.Pipeline.Stopping;

/// <summary>
/// Runs that end early: stopped while they publish (no new partition or window, a cancelled report that adds up, no
/// watermark), or failed in Publish (a report that says so, and no watermark).
/// </summary>
[Trait("Category", "Pipeline")]
public sealed class StopRunTests
{
    private static JobDefinition Job(string source) => new PeopleJob(source).Definition;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stopped_run_completes_as_cancelled_with_counts_that_add_up_and_the_next_run_sends_the_rest(bool activitiesStop)
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        for (int f = 0; f < 6; f++)
        {
            await PeopleTable.AppendAsync(lake.Path, f * 1_000, 1_000);
        }

        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "60")));
        await using var host = await PipelineHost.StartAsync(server, state.Path, 1,
            ("Empower:Pipeline:PartitionMaxRows", "1000"), ("Empower:Pipeline:Parallelism", "2"), ("Empower:Pipeline:WindowRows", "200"),
                ("Empower:Dataverse:BatchSize", "50"));
        var job = Job(lake.Path);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SyncRunOrchestrator), new SyncRunInput(job, "stopped"));
        using var emulator = await EmulatorClient.ConnectAsync(server);
        while ((int)(await emulator.StatsAsync())["tables"]!["contact"]!["records"]! < 500)
        {
            await Task.Delay(20);
        }

        if (activitiesStop)
        {
            host.Stop.Request();
        }

        await host.Client.RaiseEventAsync(id, RunEvents.Stop, "stop");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        var summary = run.ReadOutputAs<RunSummary>()!;

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal((RunStatus.Cancelled, "publish"), (summary.Status, summary.StoppedIn));
        Assert.Equal(summary.Read, summary.Rows.Accounted);
        Assert.True(summary.Partitions < 6, $"{summary.Partitions} partitions finished");
        Assert.Equal(6, summary.PartitionsPlanned);
        Assert.False(Directory.Exists(Path.Combine(state.Path, "people", "watermarks")));
        Assert.True(File.Exists(Path.Combine(state.Path, "people", "runs", "stopped", "report.md")));
    }

    [Fact]
    public async Task A_file_storage_refuses_to_open_ends_the_run_as_failed_with_a_report_naming_the_error_and_no_watermark()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await PeopleTable.AppendAsync(lake.Path, 0, 100);
        // A data file that is now a folder: not a data problem (which would fail its rows), but storage refusing to
        // open it, so Plan's key scan (which reads every file's key columns) fails the run.
        string data = Directory.GetFiles(lake.Path, "*.parquet").Single();
        File.Delete(data);
        Directory.CreateDirectory(data);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SyncRunOrchestrator), new SyncRunInput(Job(lake.Path), "broken"));
        var run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        string report = File.ReadAllText(Path.Combine(state.Path, "people", "runs", "broken", "report.md"));
        Assert.Contains("# Run broken of job people: failed", report);
        Assert.Contains("**The run stopped during plan: ", report);
        Assert.Contains(Path.GetFileName(data), report);
        Assert.Contains("It finished 0 of 0 partitions;", report);
        Assert.Contains("report.md", run.FailureDetails!.ErrorMessage);
        Assert.False(Directory.Exists(Path.Combine(state.Path, "people", "watermarks")));
    }

    [Fact]
    public async Task A_run_id_used_again_after_a_crash_records_each_failed_row_once_as_its_last_execution_saw_it()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        // Every 20th last name is longer than lastname's 50 characters: 5 prepare failures.
        await PeopleTable.AppendAsync(lake.Path, 0, 100, i => i % 20 == 0 ? new string('x', 60) : $"L{i}");
        // What a crashed execution of run "again" left: a staged failure file, and rows its Finalize had recorded.
        var jobState = new LocalLakeStorage(Path.Combine(state.Path, "people"));
        FailedRow Stale(long row) => new("again", "people", "contact", "old.parquet", row, null, FailureStage.Publish, "0x1", "stale", 1, null,
            DateTimeOffset.UnixEpoch, null);
        await Empower.Sync.FailedRows.FailedRowStaging.WriteAsync(jobState, "again", 0, 0, [Stale(1), Stale(2), Stale(3)], CancellationToken.None);
        var failedRows = new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")), TimeProvider.System);
        await failedRows.RecordRunAsync("again", [Stale(4), Stale(5)], includePayload: false);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path);

        var first = await PipelineHost.RunAsync(host, Job(lake.Path), "again");
        var afterFirst = await failedRows.ReadAsync("again");
        var second = await PipelineHost.RunAsync(host, Job(lake.Path), "again", full: true);
        var afterSecond = await failedRows.ReadAsync("again");

        Assert.Equal((100L, 95L, 5L), (first.Read, first.Written, first.Failed));
        Assert.Equal((100L, 0L, 95L, 5L), (second.Read, second.Written, second.Unchanged, second.Failed));
        long[] expected = [0, 20, 40, 60, 80];
        Assert.Equal(expected, afterFirst.Select(f => f.RowIndex).Order());
        Assert.Equal(expected, afterSecond.Select(f => f.RowIndex).Order());
        Assert.All(afterSecond, f => Assert.Equal(FailureStage.Prepare, f.Stage));
        string report = File.ReadAllText(Path.Combine(state.Path, "people", "runs", "again", "report.json"));
        Assert.Contains("\"unchanged\": 95", report);
    }

    [Fact]
    public async Task The_next_run_removes_the_failed_rows_of_a_run_that_never_finished_and_keeps_those_of_runs_and_replays_that_did()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await PeopleTable.AppendAsync(lake.Path, 0, 100, i => i % 20 == 0 ? new string('x', 60) : $"L{i}");
        // What a kill during Finalize leaves: the killed run recorded its failed rows but wrote no report.
        var jobState = new LocalLakeStorage(Path.Combine(state.Path, "people"));
        var failedRows = new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")), TimeProvider.System);
        FailedRow Row(string run, long row) => new(run, "people", "contact", "x.parquet", row, null, FailureStage.Prepare, null, "too long", 1, null,
            DateTimeOffset.UnixEpoch, null);
        await failedRows.RecordRunAsync("killed", [Row("killed", 0), Row("killed", 20)], includePayload: false);
        await failedRows.RecordRunAsync("finished", [Row("finished", 0)], includePayload: false);
        await jobState.WriteAsync("runs/finished/report.json", "{}"u8.ToArray());
        await failedRows.RecordRunAsync("replay-finished-1", [Row("replay-finished-1", 0)], includePayload: false);
        await jobState.WriteAsync("runs/replay-finished-1/replay.json", "{}"u8.ToArray());
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path);

        var summary = await PipelineHost.RunAsync(host, Job(lake.Path), "next");

        var runs = (await failedRows.ReadAsync()).GroupBy(r => r.RunId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5L, summary.Failed);
        Assert.Equal(new Dictionary<string, int> { ["finished"] = 1, ["replay-finished-1"] = 1, ["next"] = 5 }, runs);
    }
}
