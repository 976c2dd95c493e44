using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Running;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;
using Microsoft.DurableTask.Client;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>Whole runs in the in-process Durable Task host: lake table → Dataverse emulator, failed rows, report, deferrals.</summary>
[Trait("Category", "Pipeline")]
public sealed class SyncRunTests
{
    private const int Rows = 1_000;

    /// <summary>
    /// Contacts in two commits with four bad rows: too many children, an unknown gender and a too-long first name
    /// (caught when preparing), and a parent account that does not exist (refused by Dataverse).
    /// </summary>
    private static async Task WritePeopleAsync(string folder)
    {
        var schema = PeopleTable.With(PeopleTable.Column("first_name", LakeTypeKind.String), PeopleTable.Column("children", LakeTypeKind.Long),
            PeopleTable.Column("gender", LakeTypeKind.String), PeopleTable.Column("company", LakeTypeKind.String));
        var writer = new DeltaAppendWriter(new LocalLakeStorage(folder), schema, TimeProvider.System);
        for (int part = 0; part < 2; part++)
        {
            var rows = Enumerable.Range(part * (Rows / 2), Rows / 2).Select(i => new object?[]
            {
                $"p{i}@example.com", $"Last {i}", i == 500 ? new string('x', 60) : $"First {i}", i == 100 ? 5000L : i % 5, i == 200 ? "Unknown"
                    : i % 2 == 0 ? "Male" : "Female", i == 700 ? "NO-SUCH" : null,
            }).ToList();
            await writer.AppendAsync(rows, "WRITE");
        }
    }

    private static JobDefinition Job(string source) => new PeopleJob(source)
        .With("mode", "upsert").With("maxDeferrals", 100).With("batchSize", 50)
        .Column("first_name", "firstname").Column("children", "numberofchildren").Column("gender", "gendercode")
        .CompanyLookup()
        .Definition;

    private static Task<SyncRunner> StartHostAsync(EmulatorServer server, string state, params (string Key, string Value)[] extra) =>
        PipelineHost.StartAsync(server, state, 2, extra);

    private static Task<RunSummary> RunAsync(SyncRunner host, JobDefinition job, string runId) => PipelineHost.RunAsync(host, job, runId);

    [Fact]
    public async Task A_run_publishes_every_good_row_once_records_each_bad_row_and_a_rerun_changes_nothing()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await WritePeopleAsync(lake.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await StartHostAsync(server, state.Path);

        var first = await RunAsync(host, Job(lake.Path), "run-1");
        var second = await RunAsync(host, Job(lake.Path), "run-2");

        using var emulator = await EmulatorClient.ConnectAsync(server);
        var stats = await emulator.StatsAsync();
        Assert.Equal((Rows, Rows - 4, 4L, 0L), (first.Read, first.Written, first.Failed, first.Superseded));
        Assert.Equal(first.Read, first.Written + first.Failed + first.Superseded);
        Assert.Equal(1, first.Version);
        Assert.True(first.Partitions >= 2);
        Assert.Equal(Rows - 4, (int)stats["tables"]!["contact"]!["records"]!);
        Assert.Equal(Rows - 4, (int)stats["tables"]!["contact"]!["created"]!);
        // The re-run reads in full (the first left a row Dataverse refused) and skips what it published already.
        Assert.Equal((Rows, 0L, Rows - 4L, 4L), (second.Read, second.Written, second.Unchanged, second.Failed));
        Assert.Equal("full", second.ReadMode);
        Assert.True((int)stats["totals"]!["requests"]! >= (Rows - 4) / 50, "the job's batchSize of 50 should set the records per request");

        var failed = await new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")), TimeProvider.System).ReadAsync("run-1");
        Assert.Equal(4, failed.Count);
        Assert.Contains(failed, f => f is { Stage: FailureStage.Prepare, RowIndex: 100 }
            && f.ErrorMessage.StartsWith("children → numberofchildren: the value 5000 is outside 0..1000", StringComparison.Ordinal));
        Assert.Contains(failed, f => f is { Stage: FailureStage.Prepare, RowIndex: 200 }
            && f.ErrorMessage.StartsWith("gender → gendercode: 'Unknown' is not a choice", StringComparison.Ordinal));
        Assert.Contains(failed, f => f is { Stage: FailureStage.Prepare, RowIndex: 0 }
            && f.ErrorMessage.StartsWith("first_name → firstname: the value has 60 characters", StringComparison.Ordinal));
        var publish = Assert.Single(failed, f => f.Stage == FailureStage.Publish);
        Assert.Equal(("0x80060891", 200L, "\"p700@example.com\""), (publish.ErrorCode, publish.RowIndex, publish.RowKey));
        Assert.StartsWith("empower-app-", publish.Principal);
        Assert.Contains("/accounts(accountnumber='NO-SUCH')", publish.Payload);
        Assert.Contains("Timings: plan", File.ReadAllText(Path.Combine(state.Path, "people", "runs", "run-1", "report.md")));
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(state.Path, "people", "runs", "run-1", "report.json")));
        Assert.True(report.RootElement.GetProperty("timings").GetProperty("rowsPerSecond").GetDouble() > 0);
        Assert.Equal(Rows - 4, report.RootElement.GetProperty("summary").GetProperty("written").GetInt64());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(state.Path, "people", "watermarks"), "00000000000000000001-*.json").Length);

        // Both principals worked, and their requests are the ones the emulator answered for this run.
        Assert.Equal(["empower-app-1", "empower-app-2"], first.Principals.Select(p => p.Principal));
        long requests = first.Principals.Sum(p => p.Requests) + second.Principals.Sum(p => p.Requests);
        Assert.InRange(requests, (Rows - 4) / 50, (int)stats["totals"]!["requests"]!);
        Assert.Contains("| empower-app-1 |", File.ReadAllText(Path.Combine(state.Path, "people", "runs", "run-1", "report.md")));
    }

    [Fact]
    public async Task A_file_of_one_row_group_much_larger_than_a_partition_is_split_by_rows_and_every_row_is_published_once()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        // 2,000 rows in one row group (PartitionMaxRows is 300); the last row repeats the first row's key with new values.
        var email = new Parquet.Schema.DataField<string>("email");
        var lastName = new Parquet.Schema.DataField<string>("last_name");
        await using (var file = File.Create(Path.Combine(lake.Path, "one-group.parquet")))
        await using (var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(email, lastName), file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(email, Enumerable.Range(0, 2_000).Select(i => (string?)$"p{(i == 1_999 ? 0 : i)}@example.com").ToArray());
            await group.WriteAsync(lastName, Enumerable.Range(0, 2_000).Select(i => (string?)$"Last {i}").ToArray());
        }

        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await StartHostAsync(server, state.Path);
        var job = new PeopleJob(lake.Path).WithSource("format", "parquet").Definition;

        var run = await RunAsync(host, job, "run-1");

        using var emulator = await EmulatorClient.ConnectAsync(server);
        var stats = await emulator.StatsAsync();
        Assert.True(run.Partitions >= 6, $"{run.Partitions} partitions");
        Assert.Equal((2_000L, 1_999L, 1L, 0L), (run.Read, run.Written, run.Superseded, run.Failed));
        Assert.Equal(1_999, (int)stats["tables"]!["contact"]!["records"]!);
        Assert.Equal(1_999, (int)stats["tables"]!["contact"]!["created"]!);
        Assert.Equal(0, (int)stats["tables"]!["contact"]!["updated"]!);
        using var response = await emulator.GetAsync("contacts?$filter=emailaddress1 eq 'p0@example.com'&$select=lastname");
        var first = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Last 1999", (string)first["value"]![0]!["lastname"]!);
    }

    [Fact]
    public async Task A_source_that_does_not_exist_fails_the_run_in_plan_with_its_path_and_a_report_and_writes_nothing()
    {
        using var state = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await StartHostAsync(server, state.Path);
        string missing = Path.Combine(state.Path, "no-such-table");

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SyncRunOrchestrator), new SyncRunInput(Job(missing), "r"));
        var run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains($"source.path: {missing} has no _delta_log folder and no Parquet files", run.FailureDetails!.ErrorMessage);
        using var emulator = await EmulatorClient.ConnectAsync(server);
        Assert.Equal(0, (int)(await emulator.StatsAsync())["tables"]!["contact"]!["records"]!);
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(state.Path, "people", "runs", "r", "report.json")))!["summary"]!;
        Assert.Equal(("failed", "plan"), ((string)report["status"]!, (string)report["stoppedIn"]!));
        Assert.Contains("has no _delta_log folder", (string)report["error"]!);
        Assert.Contains(Path.Combine(state.Path, "people", "runs", "r", "report.md"), run.FailureDetails.ErrorMessage);
        Assert.False(Directory.Exists(Path.Combine(state.Path, "people", "watermarks")));
    }

    [Fact]
    public async Task A_delta_table_in_blob_storage_is_published_like_a_local_one()
    {
        using var local = TempTable.Empty();
        using var state = TempTable.Empty();
        await WritePeopleAsync(local.Path);
        await using var azurite = new Testing.Azurite.AzuriteFixture();
        await azurite.InitializeAsync();
        var container = new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, "exports");
        await container.CreateAsync();
        foreach (var file in Directory.GetFiles(local.Path, "*", SearchOption.AllDirectories))
        {
            await container.GetBlobClient("crm/people/" + Path.GetRelativePath(local.Path, file).Replace('\\', '/')).UploadAsync(file);
        }

        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await StartHostAsync(server, state.Path, ("Empower:Lake:ConnectionString", azurite.ConnectionString));

        var summary = await RunAsync(host, Job($"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1/exports/crm/people"), "blob");

        Assert.Equal((Rows, Rows - 4, 4L), (summary.Read, summary.Written, summary.Failed));
    }

    [Fact]
    public async Task Failed_rows_are_published_again_after_the_cause_is_fixed()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await WritePeopleAsync(lake.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await StartHostAsync(server, state.Path);
        await RunAsync(host, Job(lake.Path), "run-1");
        using var emulator = await EmulatorClient.ConnectAsync(server);
        await emulator.PatchAsync("accounts(accountnumber='NO-SUCH')", """{ "name": "Found at last" }""");
        using var client = Sync.Dataverse.DataverseClient.Create(Testing.Dataverse.EmulatorDataverse.Options(server, principals: 1));
        var table = new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")), TimeProvider.System);

        var published = new Sync.ChangeDetection.PublishedStateTable(new LocalLakeStorage(Path.Combine(state.Path, "people",
            "published_state")), TimeProvider.System, client.KeyCollation);
        var jobState = new LocalLakeStorage(Path.Combine(state.Path, "people"));
        var result = await new FailedRowReplayer(client, table, jobState, published, TimeProvider.System).ReplayAsync(Job(lake.Path), "run-1", "replay-1");
        var next = await RunAsync(host, Job(lake.Path), "run-2");

        Assert.Equal(new ReplayResult("run-1", "replay-1", FailedRows: 4, Replayed: 1, Written: 1, StillFailing: 0, NotReplayable: 3), result);
        Assert.Contains("\"written\": 1", File.ReadAllText(Path.Combine(state.Path, "people", "runs", "replay-1", "replay.json")));
        // The replayed row is in the published state: the next run (a full read, since run-1 left rows to retry) skips it.
        Assert.Equal((0L, 3L), (next.Written, next.Failed));
        Assert.Equal(Rows - 3, (int)(await emulator.StatsAsync())["tables"]!["contact"]!["records"]!);
        Assert.Empty(await table.ReadAsync("replay-1"));
    }

    [Fact]
    public async Task Throttling_past_the_activity_budget_is_resolved_by_durable_timers()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await WritePeopleAsync(lake.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "3"), ("Emulator:Limits:MaxRequests", "2")));
        await using var host = await StartHostAsync(server, state.Path, ("Empower:Dataverse:MaxThrottleWait", "00:00:00.5"),
            ("Empower:Dataverse:BatchSize", "100"));

        var summary = await RunAsync(host, Job(lake.Path), "throttled");

        // Under a parallel test run the throttling can outlast even 100 deferrals; rows given up then fail with
        // stage 'deferral'. Everything else must hold whatever the timing.
        using var emulator = await EmulatorClient.ConnectAsync(server);
        var stats = await emulator.StatsAsync();
        var failedRows = await new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")),
            TimeProvider.System).ReadAsync("throttled");
        string causes = string.Join("; ", failedRows.GroupBy(f => $"{f.Stage} {f.ErrorCode} {f.ErrorMessage}").Select(g => $"{g.Count()} × {g.Key}"));
        Assert.True(summary.Deferrals > 0, "the run should have deferred work");
        Assert.True(summary.DeferredThenWritten > 0, "deferred rows should have been written after a durable timer");
        Assert.Equal(0, summary.Superseded);
        Assert.True(summary.Read == summary.Written + summary.Failed, System.Text.Json.JsonSerializer.Serialize(summary));
        Assert.Equal(3, failedRows.Count(f => f.Stage == FailureStage.Prepare));
        Assert.True(failedRows.Count(f => f.Stage == FailureStage.Publish) <= 1, causes);
        Assert.True(failedRows.Count == summary.Failed, causes);
        Assert.Equal(summary.Written, (int)stats["tables"]!["contact"]!["records"]!);
        Assert.Equal(0, (int)stats["totals"]!["retryAfterViolations"]!);
        long throttled = summary.Principals.Sum(p => p.Throttled);
        Assert.InRange(throttled, 1, (int)stats["totals"]!["throttled"]!);
    }

    [Fact]
    public async Task Inserts_given_up_under_throttling_that_a_lost_response_created_count_as_written_not_failed()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        var schema = new LakeSchema([new("email", LakeDataType.Primitive(LakeTypeKind.String)), new("last_name", LakeDataType.Primitive(LakeTypeKind.String))]);
        await new DeltaAppendWriter(new LocalLakeStorage(lake.Path), schema, TimeProvider.System)
            .AppendAsync([.. Enumerable.Range(0, 600).Select(i => new object?[] { $"p{i}@example.com", $"L{i}" })], "WRITE");
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "2"), ("Emulator:Limits:MaxRequests", "3"),
            ("Emulator:Faults:DropResponseAfterCommitRate", "0.5"), ("Emulator:Faults:Seed", "5")));
        await using var host = await StartHostAsync(server, state.Path, ("Empower:Dataverse:MaxThrottleWait", "00:00:00.2"),
            ("Empower:Dataverse:BatchSize", "50"));
        var job = new PeopleJob(lake.Path).With("mode", "insert").With("maxDeferrals", 1).Definition;

        var summary = await RunAsync(host, job, "given-up");

        using var emulator = await EmulatorClient.ConnectAsync(server);
        var stats = await emulator.StatsAsync();
        var failedRows = await new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")),
            TimeProvider.System).ReadAsync("given-up");
        Assert.Equal(600, summary.Written + summary.Failed);
        Assert.True(failedRows.Count(f => f.Stage == FailureStage.Deferral) > 0, "rows should have been given up");
        Assert.True((int)stats["faults"]!["DropResponseAfterCommit"]! > 0);
        // No record in Dataverse is reported failed: the report's written rows are exactly the records.
        Assert.Equal(summary.Written, (int)stats["tables"]!["contact"]!["records"]!);
    }
}
